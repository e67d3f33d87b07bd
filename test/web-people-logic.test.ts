// The page's teacher/room search, buildings and free rooms, without a browser.
import { expect } from 'chai';
import type { OccupancyJson, RoomIndexJson, TeacherJson } from '../src/site-data.js';
import { buildingOf, freeRooms, searchPeople } from '../src/web/people-logic.js';

const teacher = (name: string, slug: string): TeacherJson => ({ name, titles: ['Conf.'], slug, file: `teachers/${slug}.ics`, events: 1, specs: ['IE2'] });
const room = (code: string, slug: string, location: string | null): RoomIndexJson => ({ room: code, location, slug, file: `rooms/${slug}.ics`, events: 1 });
const TEACHERS = [teacher('PÂRVULESCU Ana', 'parvulescu-ana'), teacher('POP Ion', 'pop-ion'), teacher('ȘERBAN Ioana Maria', 'serban-ioana-maria')];
const ROOMS = [room('2/I', '2-i', 'Cladirea Centrala, Etaj 1'), room('L001', 'l001', 'Sala X - Campus FSEGA, parter'), room('pi', 'pi', null)];

describe('the page: teachers and rooms in search, free rooms', () => {
  it('finds teachers by their names in any order, without diacritics, with a typo; rooms by code', () => {
    const slugs = (q: string): string[] => searchPeople(TEACHERS, ROOMS, q).map((h) => h.slug);
    expect(slugs('ana parvulescu')).to.deep.equal(['parvulescu-ana']);
    expect(slugs('maria serban')).to.deep.equal(['serban-ioana-maria']);
    expect(slugs('parvulesku')).to.deep.equal(['parvulescu-ana']);
    expect(slugs('2/i')).to.deep.equal(['2-i']);
    expect(slugs('l0')).to.deep.equal(['l001']);
    expect(slugs('ion pop')).to.deep.equal(['pop-ion']);
    expect(slugs('')).to.deep.equal([]);
  });

  it('takes the building from the legend location: its first part, without a hall name', () => {
    expect(buildingOf('Cladirea Centrala, Etaj 1')).to.equal('Cladirea Centrala');
    expect(buildingOf('Sala Nicolae Iorga - Cladirea Centrala UBB, Etaj 1 (str. M Kogalniceanu, nr. 1)')).to.equal('Cladirea Centrala UBB');
    expect(buildingOf(null)).to.equal('Location not given');
  });

  it('answers from the date\'s own numbers: taken rooms left out, free until the next taken hour, unplaced rooms last', () => {
    const occupancy: OccupancyJson = {
      semester: '2030-2',
      from: '2030-03-02',
      to: '2030-06-05',
      rooms: ['2/I', 'L001', 'pi'],
      // 2/I taken 8-10 and 12-14; L001 taken 10-11; pi never.
      dates: { '2030-03-02': [(1 << 8) | (1 << 9) | (1 << 12) | (1 << 13), 1 << 10, 0] },
    };
    expect(freeRooms(occupancy, ROOMS, '2030-03-02', 10)).to.deep.equal({
      covered: true,
      taken: 1,
      noClasses: false,
      buildings: [
        { building: 'Cladirea Centrala', rooms: [{ room: '2/I', location: 'Cladirea Centrala, Etaj 1', until: 12 }] },
        { building: 'Location not given', rooms: [{ room: 'pi', location: null, until: null }] },
      ],
    });
    // Another date of the semester with no class listed (a holiday, say): everything free all day, and said so.
    expect(freeRooms(occupancy, ROOMS, '2030-03-03', 8).noClasses).to.equal(true);
    expect(freeRooms(occupancy, ROOMS, '2030-03-03', 8).buildings.flatMap((b) => b.rooms.map((r) => [r.room, r.until]))).to.deep.equal([
      ['L001', null],
      ['2/I', null],
      ['pi', null],
    ]);
    expect(freeRooms(occupancy, ROOMS, '2030-07-01', 8).covered).to.equal(false);
  });
});
