// Which rows of the benchmark to run (--only), and how many runs each gets.

/** In the order the table prints them. */
const BENCH_CASES = ['realistic', 'zero-latency', 'scales', 'startup', 'mirror', 'custom-feed'] as const;
export type BenchCase = (typeof BENCH_CASES)[number];

export class BenchUsageError extends Error {}

/** `--only startup,mirror` -> those cases; no --only -> every case. */
export function parseCases(only: string | undefined): Set<BenchCase> {
  if (only === undefined) return new Set(BENCH_CASES);
  const names = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !(BENCH_CASES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new BenchUsageError(`--only ${only}: ${unknown.length > 0 ? `no case ${unknown.join(', ')}` : 'no case named'}; the cases are ${BENCH_CASES.join(', ')}`);
  }
  return new Set(names as BenchCase[]);
}

/** A whole number >= 1, or a usage error naming the option. */
export function parseCount(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`${option} ${value}: expected a whole number of at least 1`);
  return n;
}
