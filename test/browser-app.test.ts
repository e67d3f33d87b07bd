// The page as an app, in headless Chromium: the service worker installs
// under a sub-path (GitHub Pages project sites), offline a reload shows the
// saved week, a regeneration brings the update notice, the details sheet,
// the subscribe buttons and the day a phone opens on.
import { expect } from 'chai';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encodeIso88592, renderTimetablePage } from '../src/demo/pages.js';
import { startSiteServer } from '../src/commands/serve.js';
import type { PageCalendarJson } from '../src/web/logic.js';
import { freshVisit, generateFaculty, launchChromium, withoutServiceWorker } from './browser-kit.js';
import { DEFAULT_SPECS, SCHEDULE_ROOT_PATH, SEMESTER, facultyPages } from './faculty.js';

/** The sub-path the site is served under, like https://user.github.io/repo/. */
const PREFIX = 'repo';
const VIEW = '#code=RO1&group=101&sub=1&week=all';

describe('the page as an app (headless Chromium, served under a sub-path)', function () {
  this.timeout(60000);
  let browser: Browser;
  let parent: string;
  let server: Server;
  let base: string;

  /** A site of the small faculty at {root}/repo, served from {root}, so the page lives at /repo/. */
  async function generate(root: string, pages = facultyPages()): Promise<void> {
    await generateFaculty(pages, path.join(root, PREFIX), path.join(parent, `cache-${path.basename(root)}`));
  }

  async function serve(root: string): Promise<{ server: Server; base: string }> {
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>not the site</title>');
    const s = await startSiteServer(root, 0);
    return { server: s, base: `http://127.0.0.1:${(s.address() as { port: number }).port}/${PREFIX}/` };
  }

  before(async function () {
    browser = await launchChromium(this);
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-app-'));
    const root = path.join(parent, 'site');
    await generate(root);
    // Teacher and room calendars, as the teacher/room step writes their index.
    const data = path.join(root, PREFIX, 'data');
    fs.writeFileSync(path.join(data, 'teachers.json'), JSON.stringify([{ name: 'PÂRVULESCU Ana', titles: 'Prof.', slug: 'parvulescu-ana', file: 'teachers/parvulescu-ana.ics', events: 3, specs: ['RO1'] }]));
    fs.writeFileSync(path.join(data, 'room-index.json'), JSON.stringify([{ room: '2/I', location: 'Cladirea Centrala, Etaj 1', slug: '2-i', file: 'rooms/2-i.ics', events: 3 }]));
    ({ server, base } = await serve(root));
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
  });

  /**
   * A new context on url, letting the worker install: for the tests of the
   * worker itself (its registration and saved copies stay with the context).
   */
  async function openWithWorker(url: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]');
    return { context, page };
  }

  // The other tests share one page per screen (a new context and page start a
  // renderer, ~0.7 CPU-s), each test on a fresh visit (freshVisit), without
  // the worker: installing it precaches the site, about a second of work
  // these tests do not look at.
  const screens = new Map<'desktop' | 'phone', Promise<Page>>();
  const SCREEN = {
    desktop: { viewport: { width: 1280, height: 900 } },
    phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
  };
  function screen(kind: 'desktop' | 'phone'): Promise<Page> {
    let page = screens.get(kind);
    if (!page) screens.set(kind, (page = browser.newContext(SCREEN[kind]).then(withoutServiceWorker).then((c) => c.newPage())));
    return page;
  }

  /** A fresh visit to url in the shared page of that screen; `before` as in freshVisit. */
  async function visit(url: string, kind: 'desktop' | 'phone', before?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await screen(kind);
    return freshVisit(page, url, before && (() => before(page)));
  }

  /** The shown classes, "day|subject". */
  const shown = (page: Page): Promise<string[]> =>
    page.$$eval('#grid .day', (days) => days.flatMap((d) => [...d.querySelectorAll('.subject')].map((s) => `${(d as HTMLElement).dataset.day}|${s.textContent}`)).sort());

  it('installs its worker scoped to the sub-path; offline, a reload shows the saved week and says so', async () => {
    const { context, page } = await openWithWorker(`${base}${VIEW}`);
    try {
      await page.waitForSelector('html[data-saved="true"]');
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).to.equal(base);
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
        return { href, body: (await (await fetch(href)).json()) as { start_url: string; scope: string; display: string } };
      });
      expect(manifest.href).to.equal(`${base}manifest.webmanifest`);
      expect(new URL(manifest.body.start_url, manifest.href).href).to.equal(base);
      expect(manifest.body.display).to.equal('standalone');
      const online = await shown(page);
      expect(online.length).to.be.greaterThan(1);
      expect(await page.isVisible('#net-status')).to.equal(false);

      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      expect(await shown(page)).to.deep.equal(online);
      expect(await page.textContent('#net-status')).to.match(/^Offline: timetable as of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(await page.isVisible('#net-status')).to.equal(true);
      // A timetable never opened on this device cannot be shown offline, and says why.
      // (the same document: only the fragment changes, so wait for the page to answer it, not for data-ready)
      await page.goto(`${base}#code=HU1&group=101&sub=1&week=all`);
      await page.waitForSelector('#picked:has-text("HU1")');
      expect(await page.textContent('#picked')).to.equal('HU1 has not been opened on this device yet: it needs the network once.');
    } finally {
      await context.close();
    }
  });

  it('after a regeneration, shows "timetable updated"; Reload shows the new data and keeps the selection', async () => {
    const root = path.join(parent, 'regenerated');
    fs.cpSync(path.join(parent, 'site'), root, { recursive: true });
    const own = await serve(root);
    const { context, page } = await openWithWorker(`${own.base}${VIEW}`);
    try {
      await page.waitForSelector('html[data-saved="true"]');
      expect(await shown(page)).to.include('Luni|Curs RO1');
      const pages = facultyPages();
      const spec = DEFAULT_SPECS[0]!;
      const rows = spec.groups[0]!.rows.map((r, i) => (i === 0 ? { ...r, subject: 'Curs RO1 mutat' } : r));
      pages.set(`${SCHEDULE_ROOT_PATH}/${SEMESTER}/tabelar/RO1.html`, { body: encodeIso88592(renderTimetablePage('x', [{ group: '101', rows }])), contentType: 'text/html' });
      await generate(root, pages);
      expect(await page.isVisible('#update')).to.equal(false);
      // The page looks again when it gets the focus back (and on coming online, and every half hour).
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await page.waitForSelector('#update', { state: 'visible' });
      expect(await page.textContent('#update-text')).to.equal('Timetable updated.');
      await page.click('#update-reload');
      await page.waitForFunction(() => document.querySelector('#update')?.hasAttribute('hidden') && document.documentElement.dataset.ready === 'true');
      await page.waitForSelector('#grid .subject:text-is("Curs RO1 mutat")');
      expect(await shown(page)).not.to.include('Luni|Curs RO1');
      expect(new URL(page.url()).hash).to.equal(VIEW);
    } finally {
      await context.close();
      own.server.close();
    }
  });

  it('opens a class\'s details by touch and by keyboard, closes them with Close, a tap outside and Escape', async () => {
    const page = await visit(`${base}${VIEW}`, 'phone');
    await page.click('#day-tabs button:nth-child(1)');
    const block = page.locator('#grid .day.active .block', { hasText: 'Curs RO1' });
    await block.tap();
    await page.waitForSelector('#details[open]');
    const text = await page.innerText('#details');
    for (const part of ['Curs RO1', 'Course', '8:00-10:00', 'every week', '2/I (Cladirea Centrala, Etaj 1)', 'Prof. PÂRVULESCU Ana', 'RO1']) expect(text).to.contain(part);
    expect(await page.$$eval('#details-links a', (a) => a.map((x) => [x.textContent, x.getAttribute('href')]))).to.deep.equal([
      ["PÂRVULESCU Ana's calendar", 'teachers/parvulescu-ana.ics'],
      ["Room 2/I's calendar", 'rooms/2-i.ics'],
    ]);
    // A bottom sheet: full width, at the bottom of the screen.
    const box = (await page.locator('#details').boundingBox())!;
    expect(box.width).to.equal(390);
    expect(Math.round(box.y + box.height)).to.equal(844);
    await page.tap('#details-close');
    await page.waitForSelector('#details', { state: 'hidden' });
    await block.tap();
    await page.waitForSelector('#details[open]');
    await page.mouse.click(195, 20); // on the backdrop
    await page.waitForSelector('#details', { state: 'hidden' });

    await block.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#details[open]');
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.id)).to.equal('details');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#details', { state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('block'))).to.equal(true);
  });

  it('shows no teacher or room calendar links when the site has none (404), and a popover on a wide screen', async () => {
    const page = await screen('desktop');
    const missing = /teachers\.json|room-index\.json/;
    await page.route(missing, (route) => route.fulfill({ status: 404, body: 'not found' }));
    try {
      await visit(`${base}${VIEW}`, 'desktop');
      await page.click('#grid .block:has-text("Curs RO1")');
      await page.waitForSelector('#details[open]');
      expect(await page.isVisible('#details-links')).to.equal(false);
      const box = (await page.locator('#details').boundingBox())!;
      expect(box.width).to.be.below(640);
      expect(box.y).to.be.above(0);
    } finally {
      await page.unroute(missing);
    }
  });

  it('offers Google, Apple, Outlook.com, Outlook desktop, copy link and a QR code of the sub-path address', async () => {
    const page = await visit(`${base}${VIEW}`, 'desktop');
    const https = `${base}Fizica%20-%20linia%20de%20studiu%20romana/Year%201/101-1.ics`;
    const webcal = https.replace('http:', 'webcal:');
    const href = (id: string): Promise<string | null> => page.getAttribute(id, 'href');
    expect(await href('#google')).to.equal(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}`);
    expect(await href('#webcal')).to.equal(webcal);
    expect(await href('#outlook')).to.equal(webcal);
    expect(await href('#outlook-com')).to.match(new RegExp(`^https://outlook\\.live\\.com/calendar/0/addfromweb\\?url=${encodeURIComponent(https).replace(/[.?]/g, '\\$&')}&name=RO1`));
    expect(await page.textContent('#feed-url')).to.equal(https);
    expect(await page.isDisabled('#copy')).to.equal(false);
    // The QR code is drawn: dark and light modules, square.
    const qr = await page.$eval('#qr', (c) => {
      const canvas = c as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128 && pixels[i + 3]! > 0) dark++;
      return { width: canvas.width, height: canvas.height, dark, all: pixels.length / 4 };
    });
    expect(qr.width).to.equal(qr.height);
    expect(qr.width).to.be.above(20);
    expect(qr.dark / qr.all).to.be.within(0.2, 0.6);
  });

  it('on a phone opens on the given day: today in a teaching week, Monday on a weekend or outside teaching weeks', async () => {
    const calendar = JSON.parse(fs.readFileSync(path.join(parent, 'site', PREFIX, 'data/calendar.json'), 'utf8')) as PageCalendarJson;
    const weeks = calendar.calendars['romanian/II']!.weeks;
    const plus = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const cases = [
      { date: plus(weeks[1]!.monday, 3), day: 'Joi', note: '' },
      { date: plus(weeks[1]!.monday, 5), day: 'Luni', note: 'Weekend: showing Monday.' },
      { date: plus(weeks.at(-1)!.monday, 60), day: 'Luni', note: 'No classes this week: showing Monday.' },
    ];
    for (const { date, day, note } of cases) {
      // Each date a fresh visit (a new document) that starts on that date; the clock stays with the page.
      const page = await visit(`${base}${VIEW}`, 'phone', (p) => p.clock.setFixedTime(new Date(`${date}T09:00:00+03:00`)));
      const visible = await page.$$eval('#grid .day', (d) => d.filter((x) => getComputedStyle(x).display !== 'none').map((x) => (x as HTMLElement).dataset.day));
      expect(visible, date).to.deep.equal([day]);
      expect(await page.textContent('#day-note'), date).to.equal(note);
    }
  });
});
