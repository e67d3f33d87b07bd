// The stateless token a custom feed's address carries: the canonical
// selection, versioned, in URL-safe base64 (RFC 4648 base64url, no padding).
// Groups go in by name and no semester goes in, so the same link keeps
// working when the faculty reorders a page or a new semester starts.
//
//   token   = "1." base64url(utf8(payload))
//   payload = sources "\n" types "\n" subjects "\n" labs
//   sources = source *("\x1e" source);  source = code "\x1f" group "\x1f" ("1" | "2" | "a")
//   types   = the skipped types' letters, C S L in that order
//   subjects= key *("\x1e" key)          (subject keys, sorted)
//   labs    = key "\x1f" ("1" | "2") *("\x1e" ...)
// Control characters never occur in a published name, so they separate.
import { TYPE_TAG, type EventType } from '../model.js';
import { canonicalSelection, MAX_SOURCES, SelectionError, type Selection, type SourceSubgroup } from './selection.js';

const TOKEN_VERSION = '1';

/** Longer tokens are refused before they are decoded (414). */
export const MAX_TOKEN_LENGTH = 4096;

/** A token that is not one: the message is the one-line reason a 400 gives. */
export class TokenError extends Error {}

const RECORD = '\u001e';
const UNIT = '\u001f';
const SUBGROUP_CODE: Record<SourceSubgroup, string> = { '1': '1', '2': '2', all: 'a' };
const TYPE_OF_LETTER = new Map(Object.entries(TYPE_TAG).map(([type, letter]) => [letter, type as EventType]));

/** The token of a selection: the same for every selection that means the same (canonicalSelection). */
export function encodeToken(selection: Selection): string {
  const s = canonicalSelection(selection);
  const payload = [
    s.sources.map((source) => [source.code, source.group, SUBGROUP_CODE[source.subgroup]].join(UNIT)).join(RECORD),
    s.skipTypes.map((t) => TYPE_TAG[t]).join(''),
    s.skipSubjects.join(RECORD),
    Object.entries(s.labSubgroups).map(([subject, n]) => `${subject}${UNIT}${n}`).join(RECORD),
  ].join('\n');
  return `${TOKEN_VERSION}.${toBase64Url(new TextEncoder().encode(payload))}`;
}

/**
 * The selection a token carries. Anything but a canonical token of a known
 * version is a TokenError with a one-line reason, e.g. "unknown token
 * version 7 (this server reads version 1)".
 */
export function decodeToken(token: string): Selection {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenError(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const dot = token.indexOf('.');
  if (dot < 1) throw new TokenError('not a custom-calendar token (expected VERSION.DATA)');
  const version = token.slice(0, dot);
  if (version !== TOKEN_VERSION) throw new TokenError(`unknown token version ${JSON.stringify(version.slice(0, 20))} (this server reads version ${TOKEN_VERSION})`);
  const payload = fromBase64Url(token.slice(dot + 1));
  const sections = payload.split('\n');
  if (sections.length !== 4) throw new TokenError('the token is damaged (wrong number of parts)');
  const [sourcesText, typesText, subjectsText, labsText] = sections as [string, string, string, string];
  const records = (text: string): string[] => (text === '' ? [] : text.split(RECORD));
  const sources = records(sourcesText).map((record) => {
    const [code, group, sub, ...rest] = record.split(UNIT);
    const subgroup = (Object.keys(SUBGROUP_CODE) as SourceSubgroup[]).find((k) => SUBGROUP_CODE[k] === sub);
    if (!code || !group || !subgroup || rest.length > 0) throw new TokenError('the token is damaged (a source is not CODE, GROUP, SUBGROUP)');
    return { code, group, subgroup };
  });
  if (sources.length < 1 || sources.length > MAX_SOURCES) throw new TokenError(`the token names ${sources.length} sources (1 to ${MAX_SOURCES} allowed)`);
  const skipTypes = [...typesText].map((letter) => {
    const type = TYPE_OF_LETTER.get(letter);
    if (!type) throw new TokenError(`the token is damaged (unknown type letter ${JSON.stringify(letter)})`);
    return type;
  });
  const labSubgroups: Record<string, '1' | '2'> = {};
  for (const record of records(labsText)) {
    const [subject, n, ...rest] = record.split(UNIT);
    if (!subject || (n !== '1' && n !== '2') || rest.length > 0) throw new TokenError('the token is damaged (a lab choice is not SUBJECT, 1 or 2)');
    labSubgroups[subject] = n;
  }
  const selection: Selection = { sources, skipTypes, skipSubjects: records(subjectsText), labSubgroups };
  let canonical: string;
  try {
    canonical = encodeToken(selection);
  } catch (error) {
    if (error instanceof SelectionError) throw new TokenError(`the token is damaged (${error.message})`);
    throw error;
  }
  // One selection, one token: anything else was not made by encodeToken.
  if (canonical !== token) throw new TokenError('the token is not in canonical form (it was not made by orar-cal)');
  return canonicalSelection(selection);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) throw new TokenError('the token is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new TokenError('the token is damaged (not UTF-8)');
  }
}

/**
 * A custom feed's address under `base`, where a feed server answers
 * `custom/{token}.ics` (`orar-cal serve`, the Worker): the CLI's --url, the
 * page's --feed-base or its own folder.
 */
export function feedAddress(base: string, token: string): string {
  return new URL(`custom/${token}.ics`, base.endsWith('/') ? base : `${base}/`).href;
}
