// The custom-feed load test (issue 13): `orar-cal serve` on a generated
// sample-faculty site, one custom feed of 2 sources with 1 skipped type,
// 2 skipped subjects and 1 lab override, hammered by 64 keep-alive
// connections for 10 s. Most requests are conditional (If-None-Match with
// the ETag the connection last saw), as calendar apps send them; one in ten
// is not, so whole feeds are made and sent too. Node only: an http.Agent
// with keepAlive, no load-testing dependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { canonicalSelection, type Selection } from '../custom/selection.js';
import { subjectKey } from '../custom/subjects.js';
import { encodeToken } from '../custom/token.js';
import type { IndexJson, SpecJson } from '../site-data.js';

export interface CustomFeedLoad {
  token: string;
  selection: Selection;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers to conditional requests that were 304s. */
  notModifiedShare: number;
  /** Answers other than 200 and 304. */
  errors: number;
  /** The server's resident set, MB: after warm-up, at its peak, at the end, and once a second in between. */
  rssMb: { warm: number; peak: number; end: number; perSecond: number[] };
  feedBytes: number;
}

/**
 * The selection the row measures, from the site's own data: the first
 * spec's first group, subgroup 1, with another spec's first group whole;
 * seminars out; two of the first group's subjects out; and a third subject
 * that has subgroup rows taken from subgroup 2.
 */
export function benchSelection(site: string): Selection {
  const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(site, file), 'utf8')) as T;
  const index = read<IndexJson>('data/index.json');
  const codes = index.specializations.flatMap((s) => s.years.map((y) => y.code));
  const specs = codes.map((code) => read<SpecJson>(`data/${code}.json`));
  const first = specs.find((s) => s.groups.some((g) => g.hasSubgroups));
  const second = specs.find((s) => s !== first && s.groups.length > 0);
  if (!first || !second) throw new Error('the site needs two specializations, one with subgroups');
  const group = first.groups.find((g) => g.hasSubgroups)!;
  const subjects = [...new Set(group.entries.map((e) => e.subject))];
  const lab = subjects.find((s) => group.entries.some((e) => e.subject === s && e.formation === `${group.name}/2`));
  if (!lab) throw new Error(`${first.code} ${group.name} has no subgroup rows`);
  const skipped = subjects.filter((s) => s !== lab).slice(0, 2);
  return canonicalSelection({
    sources: [
      { code: first.code, group: group.name, subgroup: '1' },
      { code: second.code, group: second.groups[0]!.name, subgroup: 'all' },
    ],
    skipTypes: ['Seminar'],
    skipSubjects: skipped,
    labSubgroups: { [subjectKey(lab)]: '2' },
  });
}

/** Starts `orar-cal serve` on a free port; resolves with its child process and port. */
function startServe(main: string, site: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, 'serve', '--dir', site, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /:(\d+)\/ /.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`orar-cal serve exited ${code}: ${out}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function get(agent: http.Agent, port: number, target: string, etag: string | undefined): Promise<{ status: number; etag: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent, headers: etag ? { 'if-none-match': etag } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the load test against a fresh `orar-cal serve` of `site`. */
export async function customFeedLoad(main: string, site: string, connections = 64, seconds = Number(process.env.CUSTOM_FEED_SECONDS ?? 10)): Promise<CustomFeedLoad> {
  const selection = benchSelection(site);
  const token = encodeToken(selection);
  const target = `/custom/${token}.ics`;
  const { child, port } = await startServe(main, site);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  try {
    const first = await get(agent, port, target, undefined);
    if (first.status !== 200) throw new Error(`${target}: ${first.status}`);
    // Warm-up: the JIT and the caches, before anything is counted.
    const warmUntil = performance.now() + 1000;
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < warmUntil) await get(agent, port, target, first.etag);
    }));
    const warm = rssMb(child.pid!);
    let peak = warm;
    const perSecond: number[] = [];
    let ticks = 0;
    const sampler = setInterval(() => {
      const now = rssMb(child.pid!);
      peak = Math.max(peak, now);
      if (++ticks % 10 === 0) perSecond.push(Math.round(now));
    }, 100);
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let conditional = 0;
    let notModified = 0;
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async (_, lane) => {
        let etag: string | undefined;
        for (let i = lane; performance.now() < end; i++) {
          const sendEtag = i % 10 === 0 ? undefined : etag;
          const started = performance.now();
          const answer = await get(agent, port, target, sendEtag);
          if (count === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[count++] = performance.now() - started;
          if (sendEtag) conditional++;
          if (answer.status === 304) notModified++;
          else if (answer.status !== 200) errors++;
          etag = answer.etag ?? etag;
        }
      }),
    );
    clearInterval(sampler);
    const sorted = latencies.slice(0, count).sort();
    return {
      token,
      selection,
      connections,
      seconds,
      requests: count,
      requestsPerSec: count / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      notModifiedShare: conditional > 0 ? notModified / conditional : 0,
      errors,
      rssMb: { warm, peak, end: rssMb(child.pid!), perSecond },
      feedBytes: first.bytes,
    };
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}
