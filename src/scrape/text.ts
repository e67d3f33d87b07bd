// Small text helpers shared by the parsers.

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
