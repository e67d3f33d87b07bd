// The academic-year page's text, from its URL or from a saved copy (for
// maintainers when the page moved or changed): one way to read it for the
// generator and for `orar-cal academic-year`.
import { readFile } from 'node:fs/promises';
import type { HttpClient } from './client.js';
import { decodeDeclared } from './decode.js';

export type AcademicPageSource = { url: string } | { file: string };

/** The page could not be had; `source` tells a missing file (bad usage) from a network failure. */
export class AcademicPageUnavailable extends Error {
  constructor(
    message: string,
    readonly source: 'file' | 'url',
  ) {
    super(message);
  }
}

/**
 * The page as text, decoded by its declared charset (a saved file: its
 * <meta>, else UTF-8). Throws AcademicPageUnavailable naming the file or
 * URL and what went wrong; never a bare system error.
 */
export async function readAcademicPage(
  source: AcademicPageSource,
  http: HttpClient,
  read: (path: string) => Promise<Uint8Array> = readFile,
): Promise<string> {
  if ('file' in source) return readAcademicFile(source.file, read);
  try {
    const res = await http.get(source.url);
    if (res.body.length === 0) throw new Error(`${source.url}: empty response`);
    return decodeDeclared(res.body, res.contentType);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AcademicPageUnavailable(message, 'url');
  }
}

/** A saved copy of the page (--calendar-file), as readAcademicPage reads it; needs no HTTP client, so a run reads it before its first request. */
export async function readAcademicFile(file: string, read: (path: string) => Promise<Uint8Array> = readFile): Promise<string> {
  let body: Uint8Array;
  try {
    body = await read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(error));
    throw new AcademicPageUnavailable(`--calendar-file ${file}: cannot read it (${why})`, 'file');
  }
  if (body.length === 0) throw new AcademicPageUnavailable(`--calendar-file ${file}: the file is empty`, 'file');
  return decodeDeclared(body, undefined);
}
