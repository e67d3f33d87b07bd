// One Chromium for a whole `npm test` (its script requires this file): the
// global setup, run once in mocha's main process before any worker starts,
// launches it as a server and hands its address to the workers in the
// environment; each browser test file connects to it (browser-kit.ts) instead
// of launching its own (a launch and close is ~1.5 CPU-s). A run without this
// file (`npx mocha test/browser.test.ts`) launches its own.
import fs from 'node:fs';
import type { BrowserServer } from 'playwright-core';

/**
 * The browser the tests drive: CHROMIUM_PATH, else Debian's headless shell
 * (chromium-headless-shell: the same Chromium, built for headless use, about
 * a third less CPU per page here, which is most of `npm test`), else the full
 * Chromium (the tests pass on either).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? (['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((file) => fs.existsSync(file)) ?? '/usr/bin/chromium-headless-shell');

// Without the background-networking flags Chromium keeps calling out, and this machine's network refuses it.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The environment variable holding the shared Chromium's WebSocket address. */
export const SHARED_CHROMIUM = 'ORAR_CAL_TEST_CHROMIUM_WS';

let server: BrowserServer | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  // A missing Chromium is left to each browser file to report (skipped, or failed with CI=true).
  if (!fs.existsSync(CHROMIUM)) return;
  const { chromium } = await import('playwright-core');
  server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  process.env[SHARED_CHROMIUM] = server.wsEndpoint();
}

export async function mochaGlobalTeardown(): Promise<void> {
  delete process.env[SHARED_CHROMIUM];
  await server?.close();
}
