// "Clashes": two classes in one room, or one teacher in two rooms, at the
// same time, as data/clashes.json lists them (the first 500 of `count`).
import type { ClashesJson } from '../site-data.js';
import { $, el } from './dom.js';
import { DAY_NAMES } from './logic.js';

/**
 * The clashes section: the count from the run's report at once, the list
 * (data/clashes.json, up to 500 clashes: hundreds of kB and thousands of
 * elements on a faculty with many) only when someone opens it. A site
 * whose report has no count (written before teacher calendars) keeps the
 * section hidden.
 */
export function initClashes(count: number | null, load: () => Promise<ClashesJson | null>): void {
  if (count === null) return;
  $('clashes').hidden = false;
  const details = $<HTMLDetailsElement>('clashes-details');
  details.hidden = count === 0;
  $('clashes-count').textContent = countText(count, null);
  details.addEventListener(
    'toggle',
    () => {
      void load().then((clashes) => {
        if (clashes) renderClashes(clashes);
        else $('clashes-count').textContent = 'The list of clashes could not be loaded.';
      });
    },
    { once: true },
  );
}

function countText(count: number, listed: number | null): string {
  return count === 0
    ? 'No clashes: no room holds two classes at once, and no teacher is in two rooms at once.'
    : `${count} clash${count === 1 ? '' : 'es'}${listed !== null && listed < count ? ` (the first ${listed} listed)` : ''}.`;
}

/** Fills the list. */
function renderClashes(clashes: ClashesJson): void {
  const listed = clashes.clashes.length;
  $('clashes-count').textContent = countText(clashes.count, listed);
  $('clashes-list').replaceChildren(
    ...clashes.clashes.map((c) => {
      const where = c.kind === 'room' ? `Room ${c.room ?? ''}` : `Teacher ${c.teacher ?? ''}`;
      const dates = c.dates.length > 3 ? `${c.dates.slice(0, 3).join(', ')} and ${c.dates.length - 3} more` : c.dates.join(', ');
      const item = el(
        'li',
        {},
        el('strong', { text: `${where}: ${DAY_NAMES[c.day] ?? c.day} ${c.startHour}:00-${c.endHour}:00` }),
        el('small', { className: 'muted', text: ` on ${dates}` }),
        el('ul', {}, ...c.classes.map((k) => el('li', { text: `${k.spec} ${k.formation}: ${k.type} ${k.subject}, ${k.teacher}, room ${k.room}, ${k.startHour}-${k.endHour}` }))),
      );
      item.dataset.kind = c.kind;
      return item;
    }),
  );
}
