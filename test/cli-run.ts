// Runs the built program (dist/main.js): as a child process (runCli), or its
// command's main() inside this process (runInProcess), which skips starting
// Node and loading the program's modules again (a small-faculty run: ~0.65 s
// as a child process here, ~0.1 s in-process once the modules are loaded).
// Each command keeps child-process runs for the real exit path.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `main`: another build's entry point (a copy of dist/). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string, main = MAIN): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Command = (argv: string[]) => Promise<number>;

/** The built command's main(), picked by the first word as dist/main.js picks it. */
async function builtCommand(args: string[]): Promise<{ main: Command; argv: string[] }> {
  const [first, ...rest] = args;
  const named = first !== undefined && !first.startsWith('-');
  if (named && !['serve', 'academic-year', 'restore', 'calendar'].includes(first)) throw new Error(`runInProcess: no command ${first}; use runCli`);
  const module = (await import(new URL(`../dist/commands/${named ? first : 'generate'}.js`, import.meta.url).href)) as { main: Command };
  return { main: module.main, argv: named ? rest : args };
}

/**
 * What runCli(args, env) gives, from the built command's main() called here:
 * its stdout and stderr captured, and seen as pipes (not a terminal) as in a
 * child process; `env` set in process.env for the call. One call at a time
 * (mocha runs a worker's tests one after another).
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { main, argv } = await builtCommand(args);
  const captured = { stdout: '', stderr: '' };
  const capture = (name: keyof typeof captured) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      captured[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (done) queueMicrotask(done);
      return true;
    }) as typeof process.stdout.write;
  const restores = [
    swap(process.stdout, 'write', capture('stdout')),
    swap(process.stderr, 'write', capture('stderr')),
    ...[process.stdin, process.stdout, process.stderr].map((stream) => swap(stream, 'isTTY', false)),
    ...Object.entries(env).map(([name, value]) => swapEnv(name, value)),
  ];
  try {
    const code = await main(argv);
    return { code, ...captured };
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}

/** Sets object[key] to value; returns what puts it back as it was. */
function swap(object: object, key: string, value: unknown): () => void {
  const before = Object.getOwnPropertyDescriptor(object, key);
  Object.defineProperty(object, key, { value, configurable: true, writable: true, enumerable: true });
  return () => {
    if (before) Object.defineProperty(object, key, before);
    else delete (object as Record<string, unknown>)[key];
  };
}

/** Sets (or, for undefined, removes) the environment variable `name`; returns what puts it back as it was. */
function swapEnv(name: string, value: string | undefined): () => void {
  const before = process.env[name];
  const set = (v: string | undefined) => {
    if (v === undefined) delete process.env[name];
    else process.env[name] = v;
  };
  set(value);
  return () => set(before);
}
