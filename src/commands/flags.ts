// The flags every command reads, checked one way: node's parseArgs, strict,
// and a UsageError (exit 2) that names the flag and what it expects.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseSemester } from '../calendar/semester.js';
import type { Semester } from '../model.js';

/** Bad usage: the message names the flag and what it expects (exit code 2). */
export class UsageError extends Error {}

type FlagSpecs = NonNullable<ParseArgsConfig['options']>;

/** The flags of `argv` (no positionals); an unknown flag or a missing value is a UsageError. */
export function parseFlags<const O extends FlagSpecs>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    // "--port -1": parseArgs takes -1 for a flag and says "ambiguous".
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    throw new UsageError(ambiguous ? `${ambiguous[1]}: its value starts with "-"; negative values are not accepted` : message);
  }
}

export function httpUrlFlag(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} "${text}": not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} "${text}": expected an http(s) URL`);
  return text;
}

export function semesterFlag(flag: string, text: string): Semester {
  const semester = parseSemester(text);
  if (!semester) throw new UsageError(`${flag} "${text}": expected YYYY-1 or YYYY-2, e.g. 2025-2`);
  return semester;
}

export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${flag} "${text}": expected a whole number from ${min} to ${max}`);
  return n;
}

export function pathFlag(flag: string, text: string): string {
  if (!text.trim()) throw new UsageError(`${flag}: expected a path`);
  return text;
}
