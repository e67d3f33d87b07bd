// The page in a real headless Chromium (Debian's, driven by playwright-core):
// find a group by typing, read the week, download and subscribe, build a
// custom calendar, on desktop and phone, light and dark.
import { expect } from 'chai';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encodeIso88592, renderTimetablePage } from '../src/demo/pages.js';
import { startSiteServer } from '../src/commands/serve.js';
import { entriesFor, entriesInWeek, type SpecJson } from '../src/web/logic.js';
import { runInProcess } from './cli-run.js';
import { downloadedText, freshUrl, freshVisit, generateFaculty, launchChromium, withoutServiceWorker } from './browser-kit.js';
import { DEFAULT_SPECS, SCHEDULE_ROOT_PATH, facultyPages } from './faculty.js';
import { parseIcs } from './ical.js';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
// Screenshots are for a person to look at, not assertions: taken only when
// asked (ORAR_CAL_SCREENSHOTS=1), since each costs about a second.
const SCREENSHOTS = process.env.ORAR_CAL_SCREENSHOTS === '1';
const shot = async (page: Page, name: string, options: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<void> => {
  if (SCREENSHOTS) await page.screenshot({ path: path.join(ARTIFACTS, name), ...options });
};
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the page in a browser (headless Chromium)', function () {
  this.timeout(120000);
  let browser: Browser;
  // One context and one page for every test that runs scripts: a new page
  // starts a renderer (~0.5 s). Each open() starts from a fresh visit.
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let parent: string;
  let demo: Server;
  let hostile: Server;
  let demoUrl: string;
  let hostileUrl: string;

  before(async function () {
    browser = await launchChromium(this);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-browser-'));
    // The sample faculty, as a newcomer's `npm run demo` builds it.
    const built = await runInProcess(['--demo', '--semester', '2025-2', '--out', path.join(parent, 'demo'), '--cache-dir', path.join(parent, 'c1')]);
    expect(built.code, built.stderr).to.equal(0);
    // A faculty whose page names a subject with markup.
    const pages = facultyPages();
    const spec = DEFAULT_SPECS[0]!;
    const rows = spec.groups[0]!.rows.map((r, i) => (i === 3 ? { ...r, subject: HOSTILE } : r));
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`, { body: encodeIso88592(renderTimetablePage('x', [{ group: '101', rows }])), contentType: 'text/html' });
    await generateFaculty(pages, path.join(parent, 'hostile'), path.join(parent, 'c2'));
    demo = await startSiteServer(path.join(parent, 'demo'), 0);
    hostile = await startSiteServer(path.join(parent, 'hostile'), 0);
    demoUrl = `http://127.0.0.1:${(demo.address() as { port: number }).port}/`;
    hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}/`;
    // Without the service worker: these tests do not look at it (browser-app.test.ts does).
    context = await withoutServiceWorker(await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, colorScheme: 'light' }));
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
    demo?.close();
    hostile?.close();
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
  });

  /** A fresh visit (freshVisit) to url in the shared page, with the viewport and colour scheme asked for, and no errors yet. */
  /** The colour scheme the shared page emulates now (its context's default: light). */
  let scheme: 'light' | 'dark' = 'light';

  async function open(url: string, options: { width?: number; height?: number; dark?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    await freshVisit(page, url, async () => {
      // Each change lays out the page still shown (~0.1 CPU-s): only when it differs.
      const viewport = { width: options.width ?? 1280, height: options.height ?? 900 };
      const now = page.viewportSize();
      if (now?.width !== viewport.width || now.height !== viewport.height) await page.setViewportSize(viewport);
      const colorScheme = options.dark ? 'dark' : 'light';
      if (colorScheme !== scheme) await page.emulateMedia({ colorScheme: (scheme = colorScheme) });
      errors.length = 0;
    });
    return { page, errors };
  }

  async function pickIe2Group(page: Page, query: string): Promise<void> {
    await page.fill('#search', query);
    await page.waitForSelector('#results [role=option]');
    await page.click('#results li:first-child');
    await page.waitForSelector('#picked:has-text("(IE2)")');
    await page.selectOption('#group', '921');
    await page.check('#sub-1');
    await page.check('#week-odd');
  }

  /** WCAG contrast ratio of two computed colours ("rgb(r, g, b)"). */
  function contrast(a: string, b: string): number {
    const luminance = (css: string): number => {
      const [r, g, bl] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((x) => {
        const c = Number(x) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
    };
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  }

  const GET = ['#download', '#webcal', '#google'] as const;

  const demoSpec = (): SpecJson => JSON.parse(fs.readFileSync(path.join(parent, 'demo/data/IE2.json'), 'utf8')) as SpecJson;

  it('finds IE2 by its code or by "engleza 2", and shows exactly group 921/1\'s week-1 classes', async () => {
    const { page, errors } = await open(demoUrl);
    await page.fill('#search', 'engleza 2');
    await page.waitForSelector('#results [role=option]');
    expect(await page.textContent('#results li:first-child')).to.contain('IE2');
    await pickIe2Group(page, 'ie2');
    const group = demoSpec().groups.find((g) => g.name === '921')!;
    const expected = entriesInWeek(entriesFor(group, '1'), 'odd');
    await page.waitForFunction((n) => document.querySelectorAll('#grid .block').length === n, expected.length);
    const shown = await page.$$eval('#grid .day', (days) =>
      days.flatMap((d) => [...d.querySelectorAll('.block')].map((b) => `${(d as HTMLElement).dataset.day}|${b.querySelector('.subject')!.textContent}|${b.querySelector('.tag')!.textContent}`)),
    );
    const want = expected.map((e) => `${e.day}|${e.subject}|${e.type === 'Curs' ? 'Course' : e.type === 'Seminar' ? 'Seminar' : 'Lab'} ${e.startHour}-${e.endHour}${e.frequency === 'odd' ? ' · week 1' : ''}`);
    expect(shown.sort()).to.deep.equal(want.sort());
    // The selection is in the URL: a reload shows the same view.
    expect(page.url()).to.contain('#code=IE2&group=921&sub=1&week=odd');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    expect(await page.$$eval('#grid .block', (b) => b.length)).to.equal(expected.length);
    await shot(page, 'desktop-light.png', { fullPage: true });
    expect(errors).to.deep.equal([]);
  });

  it('downloads the .ics and offers webcal and Google links built from the page\'s address', async () => {
    const { page } = await open(demoUrl);
    await pickIe2Group(page, 'ie2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const ics = parseIcs(await downloadedText(download));
    const calendar = demoSpec().groups.find((g) => g.name === '921')!.calendars.find((c) => c.subgroup === '1')!;
    expect(ics.events).to.have.length(calendar.events);
    expect(ics.timezones).to.deep.equal(['Europe/Bucharest']);
    const webcal = await page.getAttribute('#webcal', 'href');
    expect(webcal).to.equal(`${demoUrl.replace('http:', 'webcal:')}Informatica%20-%20in%20limba%20engleza/Year%202/921-1.ics`);
    expect(await page.getAttribute('#google', 'href')).to.equal(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal!)}`);
  });

  it('builds a custom calendar without an unticked subject', async () => {
    const { page } = await open(demoUrl);
    await pickIe2Group(page, 'ie2');
    const dropped = (await page.getAttribute('#subjects li:first-child input', 'data-subject'))!;
    await page.uncheck('#subjects li:first-child input');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#custom-download')]);
    const custom = parseIcs(await downloadedText(download));
    const all = parseIcs(fs.readFileSync(path.join(parent, 'demo/Informatica - in limba engleza/Year 2/921-all.ics'), 'utf8'));
    expect(custom.timezones).to.deep.equal(['Europe/Bucharest']);
    expect(custom.events.some((e) => e.summary.endsWith(` ${dropped}`))).to.equal(false);
    const kept = all.events.filter((e) => !e.summary.endsWith(` ${dropped}`) && !/\/2,/.test(e.description));
    expect(custom.events.map((e) => e.uid).sort()).to.deep.equal(kept.map((e) => e.uid).sort());
  });

  it('shows a subject named like markup as text', async () => {
    const { page, errors } = await open(`${hostileUrl}#code=RO1&group=101&sub=both&week=all`);
    await page.waitForSelector('#grid .block');
    const subjects = await page.$$eval('#grid .subject', (s) => s.map((x) => x.textContent));
    expect(subjects).to.include(HOSTILE);
    expect(await page.$$eval('#grid img, #subjects img', (i) => i.length)).to.equal(0);
    expect(await page.textContent('#quick')).to.contain('Fizica');
    expect(errors).to.deep.equal([]);
  });

  it('shows one day at a time with day tabs on a phone, in light and dark', async () => {
    for (const dark of [false, true]) {
      const { page } = await open(`${demoUrl}#code=IE2&group=921&sub=1&week=odd`, { width: 390, height: 844, dark });
      await page.waitForSelector('#grid .block');
      expect(await page.isVisible('#day-tabs')).to.equal(true);
      expect(await page.$$eval('#grid .day', (d) => d.filter((x) => getComputedStyle(x).display !== 'none').length)).to.equal(1);
      await page.click('#day-tabs button:nth-child(2)');
      expect(await page.$$eval('#grid .day', (d) => d.filter((x) => getComputedStyle(x).display !== 'none').map((x) => (x as HTMLElement).dataset.day))).to.deep.equal(['Marti']);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).to.equal(dark ? 'rgb(20, 22, 27)' : 'rgb(251, 251, 253)');
      await shot(page, `phone-${dark ? 'dark' : 'light'}.png`, { fullPage: true });
    }
  });

  it('keeps Download, Subscribe, Google and Copy inert until a group is chosen, then makes them real', async () => {
    const { page, errors } = await open(demoUrl);
    for (const id of GET) {
      expect(await page.getAttribute(id, 'href'), id).to.equal(null);
      expect(await page.getAttribute(id, 'aria-disabled'), id).to.equal('true');
      // Not focusable: an <a> without href is not a link.
      expect(await page.$eval(id, (a) => ((a as HTMLElement).focus(), document.activeElement === a)), id).to.equal(false);
    }
    expect(await page.isDisabled('#copy')).to.equal(true);
    expect(await page.isDisabled('#custom-download')).to.equal(true);
    expect(await page.isVisible('#get-hint')).to.equal(true);
    await shot(page, 'desktop-light-nothing-chosen.png', { fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
    // Walking the page with Tab never lands on them.
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    for (const id of ['download', 'webcal', 'google', 'copy', 'custom-download']) expect(reached.has(id), id).to.equal(false);

    await pickIe2Group(page, 'ie2');
    for (const id of GET) {
      expect(await page.getAttribute(id, 'href'), id).to.match(/^(https?|webcal):/);
      expect(await page.getAttribute(id, 'aria-disabled'), id).to.equal(null);
    }
    expect(await page.isDisabled('#copy')).to.equal(false);
    expect(await page.isVisible('#get-hint')).to.equal(false);
    // The demo site is a first publication: nothing "changed".
    expect(await page.textContent('#changed')).to.match(/^First published on \d{4}-\d\d-\d\d; unchanged since\.$/);
    expect(errors).to.deep.equal([]);
  });

  it('with JavaScript off, says so in plain text and keeps the quick downloads', async () => {
    // The shared page with scripts off, as a context with javaScriptEnabled: false has them (the same
    // DevTools call), without starting a new context and renderer (~1 CPU-s).
    const devtools = await context.newCDPSession(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await devtools.send('Emulation.setScriptExecutionDisabled', { value: true });
    try {
      await page.goto(freshUrl(demoUrl));
      expect(await page.isVisible('#no-app')).to.equal(true);
      expect(await page.textContent('#no-app')).to.contain('JavaScript is off in this browser.');
      expect(await page.isVisible('#app')).to.equal(false);
      const links = await page.$$eval('#quick a[download][href$=".ics"]', (a) => a.map((x) => x.getAttribute('href')));
      expect(links).to.include('Informatica%20-%20in%20limba%20engleza/Year%202/921-1.ics');
      await shot(page, 'phone-light-no-javascript.png');
    } finally {
      await devtools.send('Emulation.setScriptExecutionDisabled', { value: false });
      await devtools.detach();
    }
  });

  it('opened from disk (file:), says the interactive view needs HTTP and keeps the quick downloads', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(path.join(parent, 'demo/index.html')).href);
    const shown = await page.innerText('main');
    expect(shown).to.contain('served over HTTP');
    expect(shown).not.to.contain('JavaScript is off');
    expect(await page.isVisible('#app')).to.equal(false);
    expect(await page.$$eval('#quick a[download][href$=".ics"]', (a) => a.length)).to.be.greaterThan(100);
    await shot(page, 'desktop-light-from-disk.png');
  });

  it('served with JavaScript, hides the note', async () => {
    const { page } = await open(demoUrl);
    expect(await page.isVisible('#no-app')).to.equal(false);
    expect(await page.isVisible('#offline')).to.equal(false);
  });

  it('works with the keyboard alone: a listbox of results, arrows, Enter to the week, Escape to close', async () => {
    const { page, errors } = await open(demoUrl);
    for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.id)) !== 'search'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('search');
    const input = '#search';
    expect(await page.getAttribute(input, 'role')).to.equal('combobox');
    expect(await page.getAttribute(input, 'aria-controls')).to.equal('results');
    expect(await page.getAttribute('#results', 'role')).to.equal('listbox');
    expect(await page.getAttribute(input, 'aria-expanded')).to.equal('false');

    await page.keyboard.type('engleza');
    await page.waitForSelector('#results [role=option]');
    expect(await page.getAttribute(input, 'aria-expanded')).to.equal('true');
    const ids = await page.$$eval('#results [role=option]', (o) => o.map((x) => x.id));
    expect(ids.length).to.be.greaterThan(2);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.every((id) => id !== '')).to.equal(true);
    expect(await page.getAttribute(input, 'aria-activedescendant')).to.equal(null);
    const active = async (): Promise<{ id: string | null; selected: string[] }> => ({
      id: await page.getAttribute(input, 'aria-activedescendant'),
      selected: await page.$$eval('#results [aria-selected=true]', (o) => o.map((x) => x.id)),
    });
    await page.keyboard.press('ArrowDown');
    expect(await active()).to.deep.equal({ id: ids[0], selected: [ids[0]] });
    await page.keyboard.press('ArrowDown');
    expect(await active()).to.deep.equal({ id: ids[1], selected: [ids[1]] });
    await page.keyboard.press('ArrowUp');
    expect(await active()).to.deep.equal({ id: ids[0], selected: [ids[0]] });
    await page.keyboard.press('ArrowUp'); // wraps to the last
    expect(await active()).to.deep.equal({ id: ids.at(-1), selected: [ids.at(-1)] });

    await page.keyboard.press('Escape');
    expect(await page.getAttribute(input, 'aria-expanded')).to.equal('false');
    expect(await page.getAttribute(input, 'aria-activedescendant')).to.equal(null);
    expect(await page.$$eval('#results [role=option]', (o) => o.length)).to.equal(0);
    expect(await page.inputValue(input)).to.equal('engleza');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('search');

    await page.keyboard.type(' 2');
    await page.waitForSelector('#results [role=option]');
    await page.keyboard.press('ArrowDown');
    const picked = await page.textContent(`#${(await page.getAttribute(input, 'aria-activedescendant'))!}`);
    expect(picked).to.contain('IE2');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#picked:has-text("(IE2)")');
    await page.waitForFunction(() => document.activeElement?.id === 'week-title');
    expect(await page.evaluate(() => document.activeElement!.closest('section')!.querySelector('#grid') !== null)).to.equal(true);
    expect(await page.getAttribute('#week-title', 'tabindex')).to.equal('-1');
    expect(await page.textContent('#week-title')).to.contain('IE2 group 921');
    expect(await page.getAttribute(input, 'aria-expanded')).to.equal('false');
    await shot(page, 'desktop-light-keyboard.png');
    expect(errors).to.deep.equal([]);
  });

  it('draws the keyboard focus ring at 3:1 or more against the page, in light and dark', async () => {
    for (const dark of [false, true]) {
      const { page } = await open(demoUrl, { dark });
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => {
        const focused = document.activeElement as HTMLElement;
        const style = getComputedStyle(focused);
        const panel = getComputedStyle(document.querySelector('section.panel')!).backgroundColor;
        return { id: focused.id, outline: style.outlineColor, width: style.outlineWidth, styleName: style.outlineStyle, page: getComputedStyle(document.body).backgroundColor, panel };
      });
      expect(seen.id).to.equal('theme-toggle');
      expect(seen.styleName).to.equal('solid');
      expect(parseFloat(seen.width)).to.be.at.least(2);
      const ratios = [contrast(seen.outline, seen.page), contrast(seen.outline, seen.panel)];
      for (const ratio of ratios) expect(ratio, `${dark ? 'dark' : 'light'}: ${seen.outline} on ${seen.page} / ${seen.panel}`).to.be.at.least(3);
    }
  });

  it('says so when the last run used the kept academic calendar instead of the page', async () => {
    const site = path.join(parent, 'fallback');
    fs.cpSync(path.join(parent, 'hostile'), site, { recursive: true });
    const file = path.join(site, 'data/calendar.json');
    const calendar = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...calendar, fallback: { since: '2031-03-02T05:00:00.000Z', reason: 'HTTP 503' } }));
    const server = await startSiteServer(site, 0);
    try {
      const { page, errors } = await open(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      expect(await page.textContent('#generated')).to.contain(
        "The university's academic-year page could not be read on 2031-03-02: teaching weeks, vacations and holidays follow the copy from an earlier run.",
      );
      expect(errors).to.deep.equal([]);
      const normal = await open(hostileUrl);
      expect(await normal.page.textContent('#generated')).not.to.contain('academic-year page');
    } finally {
      server.close();
    }
  });

  it('switches theme with the toggle and remembers the last selection', async () => {
    const { page } = await open(demoUrl);
    await pickIe2Group(page, 'ie2');
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).to.equal('dark');
    await shot(page, 'desktop-dark.png');
    await page.goto(demoUrl);
    await page.waitForSelector('html[data-ready="true"]');
    expect(await page.textContent('#picked')).to.contain('(IE2)');
    expect(await page.getAttribute('html', 'data-theme')).to.equal('dark');
  });
});
