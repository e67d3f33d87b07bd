#!/usr/bin/env node
// The program: flags -> run -> summary -> exit code.
import { performance } from 'node:perf_hooks';
import { USAGE, UsageError, formatSummary, parseCli } from './cli.js';
import { startDemoServer, type DemoServer } from './demo/demo-server.js';
import { createHttpClient } from './net/client.js';
import { FatalError, run } from './pipeline.js';
import { progressPrinter } from './progress.js';
import { directoryWriter } from './output/site-writer.js';
import { EXIT, exitCodeOf } from './report.js';
import { USER_AGENT, VERSION } from './version.js';

const MAX_PAGE_BYTES = 5 * 1024 * 1024;

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCli(argv, new Date());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`orar-cal: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  let options = command.options;
  let demo: DemoServer | null = null;
  if (options.demo) {
    demo = await startDemoServer(options.semester, { scale: options.scale });
    options = { ...options, scheduleRoot: demo.scheduleRoot, calendarUrl: demo.calendarUrl };
    process.stderr.write(`sample faculty: ${demo.specCount} specializations served at ${demo.server.origin}\n`);
  }
  const writer = directoryWriter(options.out);
  try {
    const report = await run(options, {
      http: createHttpClient({ userAgent: USER_AGENT, timeoutMs: options.timeoutSec * 1000, maxBytes: MAX_PAGE_BYTES }),
      writer,
      now: () => new Date(),
      clock: () => performance.now(),
      onProgress: progressPrinter(process.stderr),
    });
    process.stdout.write(`${formatSummary(report, options.out)}\n`);
    if (demo) {
      process.stdout.write(`\nLook at it: open ${options.out}/index.html in a browser; each .ics imports into any calendar app.\n`);
    }
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof FatalError) {
      process.stderr.write(`orar-cal: nothing generated: ${error.message}\n`);
      return EXIT.fatal;
    }
    throw error;
  } finally {
    await writer.close();
    await demo?.server.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`orar-cal: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.fatal);
  },
);
