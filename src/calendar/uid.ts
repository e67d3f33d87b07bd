// Event UIDs: the same class occurrence gets the same UID on every run, so a
// subscribed calendar updates in place. The UID names the semester, spec,
// formation, date, start hour, type and subject; room, professor and end
// time are left out so that changing them updates the event instead of
// replacing it.
import { createHash } from 'node:crypto';
import { TYPE_TAG, type Entry, type IsoDate } from '../model.js';

const UID_DOMAIN = 'orar-cal';


/** Keeps UIDs to plain characters whatever a page puts in a code or formation. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || '_';
}

/** The faculty has a few hundred subjects; each is hashed once per process. */
const hashes = new Map<string, string>();

function shortHash(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha1').update(text).digest('hex').slice(0, 10);
    hashes.set(text, hash);
  }
  return hash;
}

/** The date-free part of a class's UIDs. */
function classUidStem(semester: string, code: string, entry: Entry): string {
  const subject = shortHash(`${entry.type}\u0000${entry.subject}`);
  const hour = String(entry.startHour).padStart(2, '0');
  return `${semester}-${slug(code)}-${slug(entry.formation)}-${TYPE_TAG[entry.type]}${subject}-${entry.day.slice(0, 2)}${hour}`;
}

/**
 * Stems for a group's rows, in order. Rows that agree on everything the UID
 * names (two rooms for one lab, say) get "-2", "-3": UIDs stay unique in a file.
 */
export function classUidStems(semester: string, code: string, entries: readonly Entry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const stem = classUidStem(semester, code, entry);
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return n > 1 ? `${stem}-${n}` : stem;
  });
}

export function eventUid(stem: string, date: IsoDate): string {
  return `${stem}-${date.replaceAll('-', '')}@${UID_DOMAIN}`;
}
