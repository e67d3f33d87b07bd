// The schedule's index page: one table of bachelor's programmes, one of
// master's; each row a specialization, each "Anul N" link one page.
import { load } from 'cheerio/slim';
import type { Spec } from '../model.js';
import { cleanText, fold } from './text.js';

export interface IndexPage {
  /** In page order; a code may appear more than once (the pipeline dedupes). */
  specs: Spec[];
  warnings: string[];
}

export function parseIndex(html: string): IndexPage {
  const $ = load(html);
  const specs: Spec[] = [];
  const warnings: string[] = [];

  $('table').each((_, table) => {
    const header = fold(cleanText($(table).find('th').first().text()));
    const master = header.includes('master');
    $(table)
      .find('tr')
      .each((_, row) => {
        const cells = $(row).children('td');
        if (cells.length === 0) return;
        const name = cleanText(cells.first().text());
        cells.find('a[href]').each((_, link) => {
          const text = cleanText($(link).text());
          const href = $(link).attr('href') ?? '';
          const year = /^anul\s+(\d+)$/i.exec(text)?.[1];
          const code = /^(?:.*\/)?([^/]+)\.html?$/i.exec(href.trim())?.[1];
          if (!year || !code) {
            warnings.push(`index: skipped link "${text}" -> "${href}" in row "${name}"`);
            return;
          }
          specs.push({ code: decodeURIComponent(code), name, year: Number(year), master });
        });
      });
  });
  return { specs, warnings };
}
