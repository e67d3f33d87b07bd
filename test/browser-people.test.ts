// Teachers, rooms, free rooms and clashes on the page, in headless Chromium
// against `orar-cal serve`: the free-room finder at a fixed date and hour
// answers what the fixture's rows imply, a teacher found by name (other order,
// no diacritics) shows their week in the grid, and the clashes section lists
// the fixture's one clash. One browser, one context, one page.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import type { OccupancyJson, PageCalendarJson, TeacherJson } from '../src/site-data.js';
import { freshVisit, launchChromium, servedFaculty, withoutServiceWorker, type ServedSite } from './browser-kit.js';
import { facultyPages, testSpec, type TestSpec } from './faculty.js';


/**
 * RO1 and RO3 as usual: PÂRVULESCU Ana teaches both courses on Monday 8-10
 * in 2/I (one room, one teacher: no clash) and the seminar on Thursday 12-14;
 * KOVÁCS Tamás is in `pi` on Tuesdays. Added: on Monday 12-14 BLAGA Paul
 * (RO1) and POP Ion (RO3) both in 2/I, a room clash; so on a Monday 2/I is
 * taken 8-10 and 12-14, `pi` is free all day.
 */
function specs(): TestSpec[] {
  const ro1 = testSpec('RO1', 'Fizica - linia de studiu romana', 1);
  const ro3 = testSpec('RO3', 'Fizica - linia de studiu romana', 3);
  const clash = { day: 'Luni', hours: '12-14', frequency: '', room: '2/I', type: 'Curs' };
  ro1.groups[0]!.rows.push({ ...clash, formation: 'RO1', subject: 'Optica', professor: 'Conf. BLAGA Paul' });
  ro3.groups[0]!.rows.push({ ...clash, formation: 'RO3', subject: 'Astrofizica', professor: 'Lect. POP Ion' });
  return [ro1, ro3];
}

describe('teachers, rooms, free rooms and clashes on the page (headless Chromium, orar-cal serve)', function () {
  this.timeout(60000);
  let browser: Browser;
  let page: Page;
  let served: ServedSite | undefined;
  let site: string;
  let base: string;

  before(async function () {
    browser = await launchChromium(this);
    served = await servedFaculty('people-page', facultyPages(specs()));
    ({ site, base } = served);
    // Without the service worker (withoutServiceWorker): these tests do not look at it.
    page = await (await withoutServiceWorker(await browser.newContext({ viewport: { width: 1280, height: 900 } }))).newPage();
  });

  after(async () => {
    await browser?.close();
    served?.close();
  });

  const readData = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(site, 'data', name), 'utf8')) as T;

  /** The one page on url as a fresh visit (freshVisit: the page keeps the last selection in localStorage); one page for all, as a new page starts a renderer (~0.5 s). */
  const open = (url: string): Promise<Page> => freshVisit(page, url);

  /** The free-room list as "building: room, until" lines, in the page's order. */
  const freeList = (page: Page): Promise<string[]> =>
    page.$$eval('#free-list .building', (sections) =>
      sections.flatMap((s) => [...s.querySelectorAll('li')].map((li) => `${s.querySelector('h3')!.textContent}: ${li.querySelector('strong')!.textContent},${li.childNodes[1]!.textContent}`)),
    );

  it('lists the rooms free on a fixed date and hour, by building, with until when', async () => {
    // The first teaching Monday: the fixture's Monday rows are held on it.
    const monday = Object.values(readData<PageCalendarJson>('calendar.json').calendars)[0]!.weeks[0]!.monday;
    expect(readData<OccupancyJson>('occupancy.json').dates).to.have.property(monday);
    const page = await open(base);
    await page.fill('#free-date', monday);
    await page.selectOption('#free-hour', '10');
    await page.waitForSelector(`#free-list[data-shown="${monday}T10"]`);
    expect(await freeList(page)).to.deep.equal(['Cladirea Centrala: 2/I, free until 12:00', 'Observator: pi, free for the rest of the day']);
    expect(await page.textContent('#free-status')).to.equal(`2 of 2 rooms free on ${monday} at 10:00.`);

    await page.selectOption('#free-hour', '12');
    await page.waitForSelector(`#free-list[data-shown="${monday}T12"]`);
    expect(await freeList(page)).to.deep.equal(['Observator: pi, free for the rest of the day']);
  });

  it("finds a teacher by name in another order without diacritics, and shows their week in the grid with their calendar", async () => {
    const teacher = readData<TeacherJson[]>('teachers.json').find((t) => t.name === 'PÂRVULESCU Ana')!;
    const page = await open(base);
    await page.fill('#search', 'ana parvulescu');
    await page.waitForSelector('#results li:has-text("PÂRVULESCU Ana")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#grid .block');
    const blocks = await page.$$eval('#grid .day', (days) =>
      days
        .flatMap((d) =>
          [...d.querySelectorAll('.block')].map(
            (b) => `${(d as HTMLElement).dataset.day}|${b.querySelector('.tag')!.textContent}|${b.querySelector('.subject')!.textContent}|${b.querySelector('.room')!.textContent}`,
          ),
        )
        .sort(),
    );
    // The seminar two groups of two specs share is one class; two course names at one hour are two.
    expect(blocks).to.deep.equal([
      'Joi|Seminar 12-14|Seminar de baza|2/I · 101 (RO1), 301 (RO3)',
      'Luni|Course 8-10|Curs RO1|2/I · RO1',
      'Luni|Course 8-10|Curs RO3|2/I · RO3',
    ]);
    expect(page.url()).to.match(new RegExp(`#teacher=${teacher.slug}$`));
    expect(await page.getAttribute('#download', 'href')).to.equal(`${base}${teacher.file}`);
    expect(await page.getAttribute('#webcal', 'href')).to.equal(`${base}${teacher.file}`.replace(/^http:/, 'webcal:'));
  });

  it('counts the clashes at once and lists them when opened', async () => {
    const page = await open(base);
    await page.waitForSelector('#clashes:not([hidden])');
    expect(await page.textContent('#clashes-count')).to.equal('1 clash.');
    // The list is read only when opened.
    expect(await page.$$eval('#clashes-list > li', (l) => l.length)).to.equal(0);
    await page.click('#clashes-details summary');
    await page.waitForSelector('#clashes-list > li');
    const item = (await page.textContent('#clashes-list > li'))!;
    expect(item).to.match(/^Room 2\/I: Monday 12:00-14:00/);
    expect(item).to.include('Optica, Conf. BLAGA Paul').and.include('Astrofizica, Lect. POP Ion');
  });
});
