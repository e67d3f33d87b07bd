// npm run bench: how close a run comes to the network floor of a slow
// university server, and how it scales. Prints a table and writes the same
// figures as JSON under bench/results/. A script that prints figures, not a
// test: nothing here passes or fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_CALENDAR_PATH, DEMO_SCHEDULE_PATH, demoFaculty } from '../demo/faculty.js';
import { startPageServer, type PageServerOptions } from '../demo/server.js';
import type { Report } from '../report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, '..', 'main.js');
const FLOOR = path.join(here, 'floor.js');
const SEMESTER = { year: 2025, half: 2 } as const;
const REALISTIC: PageServerOptions = { latencyMs: 600, jitterMs: 300, slots: 8, seed: 7 };
const FAST: PageServerOptions = { latencyMs: 0, jitterMs: 0, slots: Infinity, seed: 7 };

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '3' }, scales: { type: 'string', default: '1,5,10' }, concurrency: { type: 'string', default: '6' } },
});
const REPS = Math.max(1, Number(values.reps));
const SCALES = values.scales!.split(',').map(Number);
const CAP = Number(values.concurrency);
const scratch = mkdtempSync(path.join(process.cwd(), '.bench-'));
// Every run's site stays in here until the end (about 1.5 GB): an interrupted benchmark removes it too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running?.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}

interface Run {
  wallMs: number;
  report?: Report;
}

let running: ChildProcess | undefined;

function child(args: string[]): Promise<{ code: number | null; stdout: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    running = p;
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, wallMs: performance.now() - started }));
  });
}

/** A fresh server (same seed: the same latencies) for one run. */
async function withServer<T>(profile: PageServerOptions, scale: number, fn: (urls: { root: string; calendar: string; index: string; legend: string; pages: string[] }) => Promise<T>): Promise<T> {
  const faculty = demoFaculty({ semester: SEMESTER, scale, seed: 2025 });
  const server = await startPageServer(faculty.page, profile);
  try {
    return await fn({
      root: `${server.origin}${DEMO_SCHEDULE_PATH}`,
      calendar: `${server.origin}${DEMO_CALENDAR_PATH}`,
      index: `${server.origin}${faculty.indexPath}`,
      legend: `${server.origin}${faculty.legendPath}`,
      pages: faculty.pagePaths.map((p) => `${server.origin}${p}`),
    });
  } finally {
    await server.close();
  }
}

async function floorRun(profile: PageServerOptions, scale: number): Promise<Run> {
  return withServer(profile, scale, async (u) => {
    const r = await child([FLOOR, String(CAP), u.index, u.legend, u.calendar, ...u.pages]);
    if (r.code !== 0) throw new Error('floor client failed');
    return { wallMs: r.wallMs };
  });
}

async function orarRun(profile: PageServerOptions, scale: number, concurrency: number): Promise<Run> {
  return withServer(profile, scale, async (u) => {
    const out = path.join(scratch, `site-${Math.random().toString(36).slice(2)}`);
    // A fresh site and an empty HTTP cache every run: no 304s, nothing carried over.
    const r = await child([MAIN, '--semester', '2025-2', '--schedule-root', u.root, '--calendar-url', u.calendar, '--out', out, '--cache-dir', `${out}.cache`, '--concurrency', String(concurrency)]);
    if (r.code !== 0) throw new Error(`orar-cal exited ${r.code}`);
    const report = JSON.parse(readFileSync(path.join(out, 'data/build.json'), 'utf8')) as Report;
    // Sites are deleted with the scratch folder at the end: deleting ~400
    // files here would make the next run's file creation pay for it.
    return { wallMs: r.wallMs, report };
  });
}

interface Figure {
  median: number;
  min: number;
  max: number;
}

function figure(xs: number[]): Figure {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: mid, min: s[0]!, max: s.at(-1)! };
}

const f = (x: Figure, digits = 2, unit = ''): string => `${x.median.toFixed(digits)}${unit} (${x.min.toFixed(digits)}-${x.max.toFixed(digits)})`;
const sec = (runs: Run[]): Figure => figure(runs.map((r) => r.wallMs / 1000));

async function main(): Promise<void> {
  const faculty = demoFaculty({ semester: SEMESTER, scale: 1 });
  console.log(`orar-cal benchmark: sample faculty (${faculty.specCount} pages), server ${REALISTIC.latencyMs} ms ± ${REALISTIC.jitterMs} ms, ${REALISTIC.slots} worker slots, cap ${CAP}, ${REPS} runs each, ${os.cpus().length} cores, Node ${process.version}`);

  // 1-3: alternated, so drift in the machine hits every row alike.
  const floor: Run[] = [];
  const capped: Run[] = [];
  const sequential: Run[] = [];
  for (let i = 0; i < REPS; i++) {
    floor.push(await floorRun(REALISTIC, 1));
    capped.push(await orarRun(REALISTIC, 1, CAP));
    sequential.push(await orarRun(REALISTIC, 1, 1));
    process.stderr.write(`  realistic round ${i + 1}/${REPS} done\n`);
  }
  const ratio = figure(capped.map((r, i) => r.wallMs / floor[i]!.wallMs));
  const speedup = figure(sequential.map((r, i) => r.wallMs / capped[i]!.wallMs));

  // 4: no network cost: what is left is our own work.
  const fast: Run[] = [];
  // Short runs, so more of them: JIT warm-up and the disk make single ones noisy.
  for (let i = 0; i < Math.max(REPS, 5); i++) fast.push(await orarRun(FAST, 1, CAP));
  const renderRate = figure(fast.map((r) => r.report!.totals.events / (r.report!.timings.renderMs / 1000)));
  const genRate = figure(fast.map((r) => r.report!.totals.events / (r.report!.timings.generateMs / 1000)));
  const parseRate = figure(fast.map((r) => r.report!.specs.length / (r.report!.timings.parseMs / 1000)));
  const parseMBs = figure(fast.map((r) => r.report!.specs.reduce((a, s) => a + s.bytes, 0) / 1e6 / (r.report!.timings.parseMs / 1000)));

  // 5: scaling at the realistic profile.
  const scaling: { scale: number; pages: number; wall: Figure; rss: Figure; events: number }[] = [];
  for (const scale of SCALES) {
    const runs: Run[] = scale === 1 ? capped : [];
    for (let i = runs.length; i < REPS; i++) runs.push(await orarRun(REALISTIC, scale, CAP));
    scaling.push({
      scale,
      pages: runs[0]!.report!.specs.length,
      wall: sec(runs),
      rss: figure(runs.map((r) => r.report!.peakRssMb)),
      events: runs[0]!.report!.totals.events,
    });
    process.stderr.write(`  scale ${scale}x done\n`);
  }
  // Least squares of wall time against rounds of requests (pages / cap).
  const xs = scaling.map((s) => s.pages / CAP);
  const ys = scaling.map((s) => s.wall.median);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const ssRes = ys.reduce((a, y, i) => a + (y - (intercept + slope * xs[i]!)) ** 2, 0);
  const ssTot = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : 1;

  const rows: [string, string][] = [
    ['1. network floor (plain client, same URLs, cap ' + CAP + ')', `${f(sec(floor))} s`],
    ['2. orar-cal, cap ' + CAP, `${f(sec(capped))} s, ratio to floor ${f(ratio, 3)}`],
    ['3. orar-cal, concurrency 1', `${f(sec(sequential))} s, speed-up of (2) ${f(speedup, 1)}x`],
    ['4. zero latency, no slot limit', `${f(sec(fast))} s wall`],
    ['   generation (events built, compared, rendered)', `${f(renderRate, 0)} events/s`],
    ['   same, plus writing every file of a fresh site', `${f(genRate, 0)} events/s`],
    ['   parsing', `${parseRate.median.toFixed(0)} pages/s, ${parseMBs.median.toFixed(1)} MB/s (${parseMBs.min.toFixed(1)}-${parseMBs.max.toFixed(1)})`],
    ...scaling.map((s): [string, string] => [`5. scale ${s.scale}x (${s.pages} pages, ${s.events} events)`, `${f(s.wall)} s, peak RSS ${f(s.rss, 0)} MB`]),
    ['   wall time vs pages/cap', `${slope.toFixed(3)} s per round of ${CAP} pages + ${intercept.toFixed(2)} s, R² ${r2.toFixed(4)}`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'figure'.padEnd(width)}  median (min-max)`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    profile: REALISTIC,
    concurrency: CAP,
    reps: REPS,
    floorSec: sec(floor),
    orarSec: sec(capped),
    ratioToFloor: ratio,
    sequentialSec: sec(sequential),
    speedup,
    zeroLatency: { wallSec: sec(fast), generationEventsPerSec: renderRate, generationWithWritesEventsPerSec: genRate, parsePagesPerSec: parseRate, parseMBPerSec: parseMBs },
    scaling,
    slope: { secondsPerRound: slope, intercept, r2 },
  };
  const dir = path.join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
