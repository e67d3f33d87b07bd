// Small text helpers shared by the parsers.
import type { CheerioAPI } from 'cheerio/slim';

/** A node of a parsed page (element, text, comment, ...). */
export type DomNode = ReturnType<CheerioAPI['root']>[0]['children'][number];

const NO_TAGS: ReadonlySet<string> = new Set();

/**
 * The text under `nodes`, as cheerio's text() gives it (comments left out),
 * without the text inside elements whose tag is in `skip`. A loop, not
 * recursion, as cheerio's is: a page may nest thousands of levels deep.
 */
export function textOf(nodes: DomNode | readonly DomNode[], skip: ReadonlySet<string> = NO_TAGS): string {
  const stack: DomNode[] = Array.isArray(nodes) ? [...(nodes as readonly DomNode[])].reverse() : [nodes as DomNode];
  let text = '';
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') text += node.data;
    else if ('children' in node && !skip.has(tagOf(node))) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return text;
}

/** An element's tag name in lower case; '' for text, comments and the document. */
export function tagOf(node: object): string {
  return 'tagName' in node && typeof node.tagName === 'string' ? node.tagName.toLowerCase() : '';
}

const decoder = new TextDecoder('iso-8859-2');

/**
 * The faculty's pages are ISO-8859-2 and the server does not say so in its
 * headers: always decode them this way, whatever the response claims.
 */
export function decodeIso88592(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Collapses runs of whitespace (including &nbsp;) and trims. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Lower-case, without diacritics: for matching words like "maghiară". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** `DD.MM.YYYY` -> `YYYY-MM-DD`, or null when it is not a real date. */
export function dmyToIso(day: string, month: string, year: string): string | null {
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}
