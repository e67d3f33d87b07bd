// The custom section in headless Chromium against `orar-cal serve`: a
// selection of two groups, a skipped type, a skipped subject and a subgroup
// choice filters the grid, and the feed the page subscribes to holds exactly
// the grid's classes; without a feed server the page offers a download only.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startSiteServer } from '../src/commands/serve.js';
import type { PageCalendarJson } from '../src/web/logic.js';
import { downloadedText, freshVisit, launchChromium, servedFaculty, withoutServiceWorker, type ServedSite } from './browser-kit.js';
import { facultyPages, testSpec, type TestSpec } from './faculty.js';
import { parseIcs } from './ical.js';

const TYPE_LABEL: Record<string, string> = { C: 'Course', S: 'Seminar', L: 'Lab' };
const DAY_OF_WEEK = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri', 'Sambata', 'Duminica'];

/** RO1 with a second lab subject, whose subgroups meet at different hours; RO3 as usual. */
function specs(): TestSpec[] {
  const ro1 = testSpec('RO1', 'Fizica - linia de studiu romana', 1);
  const optica = { day: 'Miercuri', frequency: '', room: '2/I', type: 'Laborator', subject: 'Optica', professor: 'Asist. KOVÁCS Tamás' };
  ro1.groups[0]!.rows.push({ ...optica, hours: '8-10', formation: '101/1' }, { ...optica, hours: '10-12', formation: '101/2' });
  return [ro1, testSpec('RO3', 'Fizica - linia de studiu romana', 3)];
}

describe('the custom calendar on the page (headless Chromium, orar-cal serve)', function () {
  this.timeout(60000);
  let browser: Browser;
  let page: Page;
  let served: ServedSite | undefined;
  let site: string;
  let base: string;

  before(async function () {
    browser = await launchChromium(this);
    served = await servedFaculty('custom-page', facultyPages(specs()));
    ({ site, base } = served);
    // Without the service worker (withoutServiceWorker): these tests do not look at it.
    page = await (await withoutServiceWorker(await browser.newContext({ viewport: { width: 1280, height: 900 } }))).newPage();
  });

  after(async () => {
    await browser?.close();
    served?.close();
  });

  /** The one page on url as a fresh visit (freshVisit), once the grid shows; one page for both tests, as a new context and page cost ~0.6 s. */
  async function open(url: string): Promise<Page> {
    await freshVisit(page, url);
    await page.waitForSelector('#grid .block');
    return page;
  }

  /** The grid's blocks as "day|Type start-end|subject|formation|source", sorted. */
  const gridBlocks = (page: Page): Promise<string[]> =>
    page.$$eval('#grid .day', (days) =>
      days
        .flatMap((d) =>
          [...d.querySelectorAll('.block')].map((b) => {
            const formation = b.querySelector('.room')!.textContent!.split(' · ')[1];
            return `${(d as HTMLElement).dataset.day}|${b.querySelector('.tag')!.textContent!.replace(/ · week \d/, '')}|${b.querySelector('.subject')!.textContent}|${formation}`;
          }),
        )
        .sort(),
    );

  /** Builds RO1 101/1 + RO3 301 (both subgroups), without seminars, without "Curs RO3", Optica from subgroup 2. */
  async function buildSelection(page: Page): Promise<void> {
    await page.selectOption('#add-spec', 'RO3');
    await page.waitForSelector('#add-group option[value="301"]', { state: 'attached' });
    await page.selectOption('#add-group', '301');
    await page.selectOption('#add-sub', 'all');
    await page.click('#add-source');
    await page.waitForSelector('#source-list li:nth-child(2)');
    await page.uncheck('#type-Seminar');
    await page.uncheck('#subjects input[data-subject="Curs RO3"]');
    await page.selectOption('#subjects select[data-subject="Optica"]', '2');
  }

  it('filters and merges the grid, and the feed it subscribes to holds exactly the grid\'s classes in the shown week', async () => {
    const page = await open(`${base}#code=RO1&group=101&sub=1&week=even`);
    await buildSelection(page);
    // The subscribe link follows the last change: its token is the one the address keeps.
    await page.waitForFunction(
      () => {
        const token = new URLSearchParams(location.hash.slice(1)).get('custom');
        return token !== null && document.getElementById('custom-feed-url')?.textContent?.includes(`/custom/${token}.ics`) === true;
      },
      null,
      { timeout: 5000 },
    );
    const shown = await gridBlocks(page);
    expect(shown).to.deep.equal([
      'Luni|Course 8-10|Curs RO1|RO1',
      'Marti|Lab 10-12|Observatii|301/2',
      'Miercuri|Lab 10-12|Optica|101/2',
    ]);
    expect(await page.$$eval('#grid .block .source', (s) => s.map((x) => x.textContent).sort())).to.deep.equal(['RO1 101/1', 'RO1 101/1', 'RO3 301']);

    const feed = (await page.textContent('#custom-feed-url'))!;
    expect(feed.startsWith(`${base}custom/1.`)).to.equal(true);
    expect(await page.getAttribute('#custom-webcal', 'href')).to.equal(feed.replace(/^http:/, 'webcal:'));
    expect(await page.getAttribute('#custom-google', 'href')).to.equal(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(feed.replace(/^http:/, 'webcal:'))}`);

    const response = await fetch(feed);
    expect(response.status).to.equal(200);
    const calendar = parseIcs(await response.text());
    // The shown week: the first even teaching week.
    const calendars = (JSON.parse(fs.readFileSync(path.join(site, 'data/calendar.json'), 'utf8')) as PageCalendarJson).calendars;
    const week = Object.values(calendars)[0]!.weeks.find((w) => w.parity === 'even')!;
    const sunday = new Date(Date.parse(`${week.monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const inWeek = calendar.events
      .filter((e) => e.startLocal.slice(0, 10) >= week.monday && e.startLocal.slice(0, 10) <= sunday)
      .map((e) => {
        const [, letter, subject] = /^\[(\w)\] (.*)$/.exec(e.summary)!;
        const day = DAY_OF_WEEK[(new Date(`${e.startLocal.slice(0, 10)}T12:00:00Z`).getUTCDay() + 6) % 7];
        const hours = `${Number(e.startLocal.slice(11, 13))}-${Number(e.endUtc ? new Date(Date.parse(e.endUtc) - Date.parse(e.startUtc) + Number(e.startLocal.slice(11, 13)) * 3_600_000).getUTCHours() : 0)}`;
        const formation = e.description.split('\n').at(-1)!.split(', ')[1];
        return `${day}|${TYPE_LABEL[letter!]} ${hours}|${subject}|${formation}`;
      })
      .sort();
    expect(inWeek).to.deep.equal(shown);

    // The whole selection is in the address and in storage: a reload shows the same grid.
    expect(page.url()).to.match(/[#&]custom=1\./);
    expect(await page.evaluate(() => localStorage.getItem('orar-cal:selection'))).to.match(/custom=1\./);
    await page.goto(`${base}`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForSelector('#source-list li:nth-child(2)');
    expect(await gridBlocks(page)).to.deep.equal(shown);
    expect(await page.isChecked('#type-Seminar')).to.equal(false);
  });

  it('offers a download only, and says why, where no feed is served', async () => {
    // The same site one folder down: serve answers /custom/ at its root only, so the page's custom/ finds nothing.
    const below = await startSiteServer(served!.parent, 0);
    try {
      const page = await open(`http://127.0.0.1:${(below.address() as { port: number }).port}/site/#code=RO1&group=101&sub=1&week=even`);
      await buildSelection(page);
      await page.waitForSelector('#custom-feed-note:has-text("one-time download")');
      expect(await page.isHidden('#custom-subscribe')).to.equal(true);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#custom-download')]);
      const events = parseIcs(await downloadedText(download)).events;
      expect(events.some((e) => e.summary.startsWith('[S]') || e.summary === '[C] Curs RO3')).to.equal(false);
      expect(events.some((e) => e.summary === '[L] Optica' && e.description.includes('101/1'))).to.equal(false);
      expect(events.some((e) => e.summary === '[L] Optica' && e.description.includes('101/2'))).to.equal(true);
      // A selection that leaves no class downloads nothing, and says so.
      // (the list is drawn again after each change: take the first ticked one each time)
      const TICKED = '#subjects input[type=checkbox][data-subject]:checked';
      for (let ticked = (await page.$$(TICKED)).length; ticked > 0; ticked--) {
        await page.click(`${TICKED} >> nth=0`);
        await page.waitForFunction(([selector, n]) => document.querySelectorAll(selector as string).length < (n as number), [TICKED, ticked] as const);
      }
      await page.click('#custom-download');
      await page.waitForSelector('#custom-status:has-text("Nothing to download")');
      } finally {
      below.close();
    }
  });
});
