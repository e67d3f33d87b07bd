// "Clashes": two classes in one room, or one teacher in two rooms, at the
// same time, as data/clashes.json lists them (the first 500 of `count`).
import type { ClashesJson } from '../site-data.js';
import { $, el } from './dom.js';
import { DAY_NAMES } from './logic.js';

/** Fills the clashes section; a site without data/clashes.json (null) keeps it hidden. */
export function renderClashes(clashes: ClashesJson | null): void {
  const section = $('clashes');
  if (!clashes) return;
  section.hidden = false;
  const listed = clashes.clashes.length;
  $('clashes-count').textContent =
    clashes.count === 0
      ? 'No clashes: no room holds two classes at once, and no teacher is in two rooms at once.'
      : `${clashes.count} clash${clashes.count === 1 ? '' : 'es'}${listed < clashes.count ? ` (the first ${listed} listed)` : ''}.`;
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
