#!/usr/bin/env node
// The program's entry: picks the command from the first word and loads only
// that command's modules (so `serve` never loads the generator, and a typo
// costs no more than starting Node).
import { statSync } from 'node:fs';
import { EXIT } from './report.js';

/** Each command: argv after its name -> exit code. */
type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).main,
  'academic-year': async () => (await import('./commands/academic-year.js')).main,
  restore: async () => (await import('./commands/restore.js')).main,
  calendar: async () => (await import('./commands/calendar.js')).main,
};

/**
 * The generator: as the build bundled it (scripts/bundle-generator.mjs:
 * dist/bundle/, a few files instead of ~20 modules before the first request
 * and ~800 after), or its modules themselves: run from source (tests,
 * through tsx), built without the bundle, or compiled by `tsc` alone after
 * the bundle was made (its record, dist/.tsbuildinfo/src, is then newer),
 * which the bundle would not show. (`tsc --noEmit` on tsconfig.json writes
 * that record too: the next runs load the modules, the same code, slower,
 * until the next `npm run build`.)
 */
const DEFAULT: () => Promise<Command> = async () => {
  const bundle = new URL('./bundle/generate.js', import.meta.url);
  const bundled = statSync(bundle, { throwIfNoEntry: false });
  const compiled = statSync(new URL('./.tsbuildinfo/src', import.meta.url), { throwIfNoEntry: false });
  if (import.meta.url.endsWith('.ts') || !bundled || (compiled && compiled.mtimeMs > bundled.mtimeMs)) return (await import('./commands/generate.js')).main;
  return ((await import(bundle.href)) as typeof import('./commands/generate.js')).main;
};

/**
 * `--version` or `--help` on its own: answered from the two small modules
 * that hold the text, without the generator's bundle (~20 ms here; the
 * bundle also loads what a run needs before its first request). With other
 * flags, the generator reads them all, and refuses a wrong one.
 */
const version = async (): Promise<string> => (await import('./version.js')).VERSION;
const usage = async (): Promise<string> => (await import('./cli.js')).USAGE;
/** The generator's own flags for them (cli.ts), long and short. */
const ALONE: Record<string, () => Promise<string>> = { '--version': version, '-v': version, '--help': usage, '-h': usage };

export async function dispatch(argv: string[]): Promise<number> {
  if (argv.length === 1 && Object.hasOwn(ALONE, argv[0]!)) {
    process.stdout.write(`${await ALONE[argv[0]!]!()}\n`);
    return EXIT.ok;
  }
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith('-')) {
    const load = COMMANDS[first];
    if (!load) {
      process.stderr.write(
        `orar-cal: unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(', ')} (or none, to generate the site); see orar-cal --help\n`,
      );
      return EXIT.usage;
    }
    return (await load())(rest);
  }
  return (await DEFAULT())(argv);
}

// A reader that goes away (`orar-cal ... | head`) must not end a run
// half-way, leaving its lock and staging folder: what it no longer reads is
// dropped, and the command goes on to its end.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

/** Exits once what was written to stdout and stderr is out: into a pipe, writes are asynchronous, and exit() would cut them. */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

dispatch(process.argv.slice(2)).then(exitAfterOutput, (error: unknown) => {
  process.stderr.write(`orar-cal: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitAfterOutput(EXIT.fatal);
});
