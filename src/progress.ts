// Progress while a run goes: a bar on a terminal, plain lines otherwise.
import type { ProgressEvent } from './pipeline.js';

export function progressPrinter(stream: NodeJS.WriteStream): (event: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  return (event) => {
    if (event.kind === 'start') {
      if (!tty) stream.write(`${event.total} specialization${event.total === 1 ? '' : 's'} to generate\n`);
      return;
    }
    if (event.kind !== 'done') return;
    const { outcome, done, total } = event;
    const what =
      outcome.status === 'ok'
        ? `${outcome.code}: ${outcome.files} files, ${outcome.events} events`
        : `${outcome.code}: ${outcome.status === 'stale' ? 'stale, kept the previous calendars:' : 'FAILED'} ${outcome.error?.message ?? ''}`;
    if (tty) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what.slice(0, 60)}`);
      if (done === total) stream.write('\n');
    } else {
      stream.write(`[${done}/${total}] ${what}\n`);
    }
  };
}
