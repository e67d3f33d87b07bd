// The schedule's index page: one table of bachelor's programmes, one of
// master's; each row a specialization, each "Anul N" link one page.
import { load } from 'cheerio/slim';
import type { Spec } from '../model.js';
import { cleanText, fold, tagOf, textOf, type DomNode } from './text.js';

export interface IndexPage {
  /** In page order; a code may appear more than once (the pipeline dedupes). */
  specs: Spec[];
  warnings: string[];
}

/**
 * Read from the DOM directly, as the timetable's rows are, with no selector:
 * compiling one per row was most of this 2.5 KB page's parse (~4.3 ms warm,
 * ~9.6 ms the first time in a process; now ~1.6 and ~5.6), and the pages'
 * requests wait for it.
 */
export function parseIndex(html: string): IndexPage {
  const $ = load(html);
  const specs: Spec[] = [];
  const warnings: string[] = [];

  for (const table of descendants($.root()[0]!, (node) => tagOf(node) === 'table')) {
    const header = fold(cleanText(textOf(descendants(table, (node) => tagOf(node) === 'th').slice(0, 1))));
    const master = header.includes('master');
    for (const row of descendants(table, (node) => tagOf(node) === 'tr')) {
      const cells = row.children.filter((child) => tagOf(child) === 'td');
      if (cells.length === 0) continue;
      const name = cleanText(textOf(cells[0]!));
      for (const link of cells.flatMap((cell) => descendants(cell, (node) => tagOf(node) === 'a' && node.attribs.href !== undefined))) {
        const text = cleanText(textOf(link));
        const href = link.attribs.href ?? '';
        const year = /^anul\s+(\d+)$/i.exec(text)?.[1];
        const code = /^(?:.*\/)?([^/]+)\.html?$/i.exec(href.trim())?.[1];
        if (!year || !code) {
          warnings.push(`index: skipped link "${text}" -> "${href}" in row "${name}"`);
          continue;
        }
        specs.push({ code: decodeURIComponent(code), name, year: Number(year), master });
      }
    }
  }
  return { specs, warnings };
}

type Element = Extract<DomNode, { attribs: Record<string, string> }>;

/** The elements under `node` (not itself) that `wanted` accepts, in document order. */
function descendants(node: DomNode, wanted: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const stack: DomNode[] = 'children' in node ? [...node.children].reverse() : [];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!('children' in next)) continue;
    if ('attribs' in next && wanted(next)) found.push(next);
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
  return found;
}
