// Bytes -> text for the two kinds of page we read.
import { decodeIso88592 } from '../scrape/text.js';

/**
 * The faculty's pages: ISO-8859-2 always, whatever the server says. A page
 * that is plainly in another encoding (a byte-order mark, NUL bytes, a
 * <meta> naming another charset) is refused rather than decoded into
 * nonsense names.
 */
export function decodeSchedulePage(body: Uint8Array): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) throw new Error('the page is UTF-8 (byte-order mark), not ISO-8859-2');
  if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) throw new Error('the page is UTF-16, not ISO-8859-2');
  if (body.includes(0)) throw new Error('the page holds NUL bytes: not an ISO-8859-2 HTML page');
  const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  if (declared && !/^(iso-?8859-2|latin-?2|l2)$/i.test(declared)) {
    throw new Error(`the page declares charset ${declared}; the faculty's pages are ISO-8859-2`);
  }
  return decodeIso88592(body);
}

/**
 * The university's pages declare their charset (UTF-8 today): header first,
 * then a <meta> in the first bytes, else UTF-8.
 */
export function decodeDeclared(body: Uint8Array, contentType: string | undefined): string {
  const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
  const declared =
    /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
