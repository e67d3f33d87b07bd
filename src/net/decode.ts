// Bytes -> text for the two kinds of page we read.
import { decodeIso88592 } from '../scrape/text.js';

/** The faculty's pages: ISO-8859-2 always, whatever the server says. */
export const decodeSchedulePage = decodeIso88592;

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
