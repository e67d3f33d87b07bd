// The room legend: a two-column table, room code -> location.
import { load } from 'cheerio/slim';
import type { Rooms } from '../model.js';
import { cleanText } from './text.js';

export function parseRooms(html: string): Rooms {
  const $ = load(html);
  const rooms: Record<string, string> = {};
  $('tr').each((_, tr) => {
    const cells = $(tr).children('td');
    if (cells.length < 2) return;
    const code = cleanText(cells.eq(0).text());
    const location = cleanText(cells.eq(1).text());
    if (code && location) rooms[code] = location;
  });
  return rooms;
}
