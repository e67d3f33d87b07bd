// Subjects are matched the way people type them: case, diacritics and
// spacing do not matter ("Programare Web" is "programare   web", "Topologie"
// is "topologie"). The folding itself is the scrapers' (scrape/text.ts).
import { cleanText, fold } from '../scrape/text.js';

/** The form two subject names are compared in. */
export function subjectKey(subject: string): string {
  // Cleaned again after folding: a combining mark dropped by fold() may leave
  // spaces at an end, and a key must be its own key (tokens re-encode it).
  return cleanText(fold(cleanText(subject)));
}
