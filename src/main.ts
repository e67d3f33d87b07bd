#!/usr/bin/env node
// The program: flags -> run -> summary -> exit code.
import { performance } from 'node:perf_hooks';
import { USAGE, UsageError, formatSummary, parseCli } from './cli.js';
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
  const options = command.options;
  try {
    const report = await run(options, {
      http: createHttpClient({ userAgent: USER_AGENT, timeoutMs: options.timeoutSec * 1000, maxBytes: MAX_PAGE_BYTES }),
      writer: directoryWriter(options.out),
      now: () => new Date(),
      clock: () => performance.now(),
      onProgress: progressPrinter(process.stderr),
    });
    process.stdout.write(`${formatSummary(report, options.out)}\n`);
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof FatalError) {
      process.stderr.write(`orar-cal: nothing generated: ${error.message}\n`);
      return EXIT.fatal;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`orar-cal: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.fatal);
  },
);
