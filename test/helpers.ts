import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { PageServer } from '../src/demo/server.js';

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return fixtureBytes(name).toString('utf8');
}

/**
 * The connections `server` accepted since its stats were reset, counted
 * once every connection attempted before this call has reached it: a
 * connection of our own is answered last (the server accepts in order).
 * "No request" is not enough to show nothing was sent: a run can abort a
 * request it no longer needs before its bytes arrive.
 */
export async function connectionsMade(server: PageServer): Promise<number> {
  await new Promise<void>((done, fail) => {
    http
      .get(`${server.origin}/`, { agent: false }, (response) => {
        response.resume();
        response.on('end', done);
      })
      .on('error', fail);
  });
  return server.stats.connections - 1;
}
