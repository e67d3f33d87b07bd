import { expect } from 'chai';
import { peopleFiles } from '../src/output/people-files.js';
import { clashesOf as clashesOfSlots, listClashes } from '../src/people/clashes.js';
import { slotEvents, teacherEventText } from '../src/people/events.js';
import { assignSlugs, byName, sortedByName, teacherOf } from '../src/people/names.js';
import { occupancy, takenHours } from '../src/people/occupancy.js';
import { rowsOfSpec, type TimetableRow } from '../src/people/rows.js';
import { peopleRows, roomSlots, teacherSlots, type TeacherRows } from '../src/people/views.js';
import type { ClashJson, OccupancyJson, RoomIndexJson, TeacherJson } from '../src/site-data.js';
import { memoryWriter } from './memory-writer.js';

const MON = ['2031-03-03', '2031-03-10', '2031-03-17'];

/** Every teacher's and room's rows at once, in the order rows name them. */
function rowsByTeacherAndRoom(rows: readonly TimetableRow[]): { teachers: Map<string, TeacherRows>; rooms: Map<string, readonly TimetableRow[]> } {
  const people = peopleRows();
  const named = people.add(rows);
  return {
    teachers: new Map([...named.teachers].map((name) => [name, people.teacher(name)!])),
    rooms: new Map([...named.rooms].map((room) => [room, people.room(room)!])),
  };
}

/** A row of one spec, dated: a Monday 10-12 course of Conf. BLAGA Paul in 2/I unless told otherwise. */
const row = (over: Partial<TimetableRow>): TimetableRow => ({
  spec: 'IE2', day: 'Luni', startHour: 10, endHour: 12, frequency: 'every', room: '2/I', formation: 'IE2',
  type: 'Curs', subject: 'Algebra', professor: 'Conf. BLAGA Paul', dates: MON, ...over,
});

/** Every clash of these rows, as the run finds them. */
function clashesOf(rows: TimetableRow[]): ClashJson[] {
  const { teachers, rooms } = rowsByTeacherAndRoom(rows);
  const found = [
    ...[...teachers].flatMap(([name, t]) => clashesOfSlots('teacher', name, teacherSlots(t.rows))),
    ...[...rooms].flatMap(([room, list]) => clashesOfSlots('room', room, roomSlots(list))),
  ];
  return listClashes(found, 500).clashes;
}

const seqOf = (ics: string, uid: string): { sequence: number; location: string; status: string | undefined } => {
  const vevent = ics.split('BEGIN:VEVENT').find((e) => e.includes(`UID:${uid}\r\n`));
  if (!vevent) throw new Error(`no event ${uid}`);
  return {
    sequence: Number(/\r\nSEQUENCE:(\d+)/.exec(vevent)?.[1]),
    location: /\r\nLOCATION:([^\r]*)/.exec(vevent)?.[1] ?? '',
    status: /\r\nSTATUS:([^\r]*)/.exec(vevent)?.[1],
  };
};
const uidsOf = (ics: string): string[] => [...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]!);

describe('teachers: names, titles, slugs', () => {
  it('strips the title word and reads "- Necunoscut" as no teacher', () => {
    expect(teacherOf('Conf. BLAGA Paul')).to.deep.equal({ name: 'BLAGA Paul', title: 'Conf.' });
    expect(teacherOf('C.d.asociat  LECHINTAN   Tudor')).to.deep.equal({ name: 'LECHINTAN Tudor', title: 'C.d.asociat' });
    expect(teacherOf('Drd. PÂRVUCEANU Daniel')).to.deep.equal({ name: 'PÂRVUCEANU Daniel', title: 'Drd.' });
    expect(teacherOf('Asist.KEPES Tamas')).to.deep.equal({ name: 'KEPES Tamas', title: 'Asist.' });
    expect(teacherOf('Lect. ŞERBAN Ţ')).to.deep.equal({ name: 'ȘERBAN Ț', title: 'Lect.' }); // cedilla and comma are one letter
    expect(teacherOf('POP Ion')).to.deep.equal({ name: 'POP Ion', title: null });
    expect(teacherOf('- Necunoscut')).to.equal(null);
    expect(teacherOf('')).to.equal(null);
    expect(teacherOf('Prof.')).to.equal(null);
  });

  it('one teacher under two titles is one teacher, listing both', () => {
    const { teachers } = rowsByTeacherAndRoom([row({ professor: 'Drd. KEPES Tamas' }), row({ professor: 'Asist. KEPES Tamas', spec: 'MI1' }), row({ professor: '- Necunoscut' })]);
    expect([...teachers.keys()]).to.deep.equal(['KEPES Tamas']);
    expect(teachers.get('KEPES Tamas')).to.deep.include({ titles: ['Asist.', 'Drd.'], specs: ['IE2', 'MI1'] });
  });

  it('gives ASCII file names, never one to two names, and keeps the one a name had', () => {
    const slugs = assignSlugs(['PÂRVU Ana', 'PARVU Ana', 'Con', 'POP Ion'], {});
    expect(slugs.get('PARVU Ana')).to.equal('parvu-ana');
    expect(slugs.get('PÂRVU Ana')).to.match(/^parvu-ana-[0-9a-z]{7}$/);
    expect(slugs.get('Con')).to.equal('_con'); // a Windows device name
    expect(new Set(slugs.values()).size).to.equal(4);
    // The name that had the plain slug keeps it when a colliding name sorts before it.
    const again = assignSlugs(['PÂRVU Ana', 'PARVU Ana', 'PARVU  ANA'], { 'PÂRVU Ana': 'parvu-ana' });
    expect(again.get('PÂRVU Ana')).to.equal('parvu-ana');
    expect(again.get('PARVU Ana')).to.not.equal('parvu-ana');
    expect(new Set(again.values()).size).to.equal(3);
  });
});

describe('teachers and rooms: events and clashes', () => {
  it('makes one event of a class given to several groups and specs, naming them all', () => {
    const rows = [row({ formation: '921' }), row({ formation: '922' }), row({ spec: 'MI2', formation: 'MI2' })];
    const slots = teacherSlots(rows);
    expect(slots).to.have.length(3); // one per date
    const events = slotEvents(slots, '2030-2-teacher-blaga-paul', (s) => teacherEventText(s, { '2/I': 'Cladirea Centrala' }));
    expect(events.map((e) => e.uid)).to.deep.equal(['2030-2-teacher-blaga-paul-Lu10-20310303@orar-cal', '2030-2-teacher-blaga-paul-Lu10-20310310@orar-cal', '2030-2-teacher-blaga-paul-Lu10-20310317@orar-cal']);
    expect(events[0]).to.deep.include({ summary: '[C] Algebra', location: '2/I, Cladirea Centrala', description: 'Curs, 921 (IE2), 922 (IE2), MI2' });
    expect(roomSlots(rows)).to.have.length(3);
  });

  it('one class listed under two subject names (same teacher, room, hours) is one event, not a clash', () => {
    const rows = [row({ subject: 'Sisteme de operare' }), row({ spec: 'MIE2', formation: 'MIE2', subject: 'Sisteme de operare pentru calculatoare' })];
    const slots = teacherSlots(rows);
    expect(slots).to.have.length(3);
    expect(teacherEventText(slots[0]!, {}).summary).to.equal('[C] Sisteme de operare / [C] Sisteme de operare pentru calculatoare');
    expect(clashesOf(rows)).to.deep.equal([]);
  });

  it('finds two teachers in one room, and one teacher in two rooms, with the dates they clash on', () => {
    const rows = [
      row({}),
      row({ spec: 'MI1', formation: '311', type: 'Seminar', subject: 'Analiza', professor: 'Lect. POP Ion', startHour: 11, endHour: 13, dates: MON.slice(1) }),
      row({ spec: 'MI1', formation: '312', type: 'Laborator', subject: 'Algebra', room: 'L001', startHour: 10, endHour: 11, dates: [MON[2]!] }),
      // A room not given yet is no second room.
      row({ spec: 'MI1', formation: '313', subject: 'Algebra', room: 'neprecizat' }),
    ];
    const clashes = clashesOf(rows);
    expect(clashes.map((c) => [c.kind, c.room ?? c.teacher, c.day, c.startHour, c.endHour, c.dates])).to.deep.equal([
      ['room', '2/I', 'Luni', 11, 12, ['2031-03-10', '2031-03-17']],
      ['teacher', 'BLAGA Paul', 'Luni', 10, 11, ['2031-03-17']],
    ]);
    expect(clashes[0]!.classes).to.deep.equal([
      { spec: 'IE2', formation: 'IE2', subject: 'Algebra', type: 'Curs', teacher: 'Conf. BLAGA Paul', room: '2/I', startHour: 10, endHour: 12 },
      { spec: 'MI1', formation: '311', subject: 'Analiza', type: 'Seminar', teacher: 'Lect. POP Ion', room: '2/I', startHour: 11, endHour: 13 },
    ]);
    expect(clashes[1]!.classes.map((c) => [c.room, c.startHour, c.endHour])).to.deep.equal([['L001', 10, 11], ['2/I', 10, 12]]); // in time order
  });

  it('counts every clash and lists the first ones only', () => {
    const crowded = Array.from({ length: 6 }, (_, i) => row({ professor: `Lect. T${i} X`, formation: `9${i}1` }));
    const { rooms } = rowsByTeacherAndRoom(crowded);
    const { count, clashes: listed } = listClashes(clashesOfSlots('room', '2/I', roomSlots(rooms.get('2/I')!)), 4);
    expect(count).to.equal(15); // 6 classes at once: 15 pairs
    expect(listed).to.have.length(4);
    expect(listed.every((c) => c.dates.length === 3)).to.equal(true);
  });

  it('marks the hours each room is taken, date by date', () => {
    const rows = [row({}), row({ professor: 'Lect. POP Ion', startHour: 14, endHour: 16, frequency: 'odd', dates: [MON[0]!, MON[2]!] }), row({ room: 'pi', day: 'Marti', dates: ['2031-03-04'] })];
    const { rooms } = rowsByTeacherAndRoom(rows);
    const taken = [...rooms].map(([room, list]) => ({ room, taken: takenHours(roomSlots(list)) }));
    const json: OccupancyJson = occupancy('2030-2', taken);
    const h = (...hours: number[]): number => hours.reduce((m, x) => m | (1 << x), 0);
    expect(json).to.deep.equal({
      semester: '2030-2',
      from: '2031-03-03',
      to: '2031-03-17',
      rooms: ['2/I', 'pi'],
      dates: {
        '2031-03-03': [h(10, 11, 14, 15), 0],
        '2031-03-04': [0, h(10, 11)],
        '2031-03-10': [h(10, 11), 0],
        '2031-03-17': [h(10, 11, 14, 15), 0],
      },
    });
  });

  it('reads a spec\'s rows once when its groups all list a year-wide class', () => {
    const entry = { day: 'Luni' as const, startHour: 8, endHour: 10, frequency: 'every' as const, room: 'pi', formation: 'IE2', type: 'Curs' as const, subject: 'A', professor: 'Prof. X Y', dates: MON };
    const rows = rowsOfSpec('IE2', [{ entries: [entry] }, { entries: [{ ...entry, dates: [...MON] }, { ...entry, formation: '922', type: 'Seminar' }] }]);
    expect(rows.map((r) => [r.spec, r.formation, r.type])).to.deep.equal([['IE2', 'IE2', 'Curs'], ['IE2', '922', 'Seminar']]);
    expect(rows[0]!.dates).to.equal(rows[1]!.dates); // equal date lists are one array
  });
});

describe('teachers and rooms: calendars that evolve', () => {
  const NOW1 = new Date('2031-03-01T08:00:00Z');
  const NOW2 = new Date('2031-03-08T08:00:00Z');
  const run = (rows: TimetableRow[], now: Date, current = new Map<string, string>()) => {
    const writer = memoryWriter(current);
    const people = peopleFiles({ semester: '2030-2', now, writer, clock: () => 0 });
    people.add(rows);
    const summary = people.finish({ '2/I': 'Cladirea Centrala' });
    return { writer, summary, files: writer.files };
  };

  it('a room change updates the teacher\'s event in place (SEQUENCE + 1); the old room cancels it, the new one adds it', () => {
    const first = run([row({})], NOW1);
    const second = run([row({ room: 'C335' })], NOW2, first.files);
    const uid = '2030-2-teacher-blaga-paul-Lu10-20310310@orar-cal';
    expect(seqOf(first.files.get('teachers/blaga-paul.ics')!, uid)).to.deep.equal({ sequence: 0, location: '2/I\\, Cladirea Centrala', status: undefined });
    expect(seqOf(second.files.get('teachers/blaga-paul.ics')!, uid)).to.deep.equal({ sequence: 1, location: 'C335', status: undefined });
    expect(uidsOf(second.files.get('teachers/blaga-paul.ics')!)).to.have.length(3); // the same three events, in place
    const oldRoom = second.files.get('rooms/2-i.ics')!;
    expect(seqOf(oldRoom, '2030-2-room-2-i-Lu10-20310310@orar-cal')).to.deep.include({ sequence: 1, status: 'CANCELLED' });
    expect(seqOf(second.files.get('rooms/c335.ics')!, '2030-2-room-c335-Lu10-20310310@orar-cal')).to.deep.include({ sequence: 0, status: undefined });
    // The room that lost its classes keeps its calendar and its place in the index.
    const index = JSON.parse(second.files.get('data/room-index.json')!) as RoomIndexJson[];
    expect(index.map((r) => [r.room, r.location, r.file, r.events])).to.deep.equal([['2/I', 'Cladirea Centrala', 'rooms/2-i.ics', 3], ['C335', null, 'rooms/c335.ics', 3]]);
  });

  it('a teacher change updates the room\'s event in place; nothing changed, nothing is rewritten', () => {
    const first = run([row({})], NOW1);
    const second = run([row({ professor: 'Lect. POP Ion' })], NOW2, first.files);
    expect(seqOf(second.files.get('rooms/2-i.ics')!, '2030-2-room-2-i-Lu10-20310303@orar-cal')).to.deep.include({ sequence: 1, status: undefined });
    const teachers = JSON.parse(second.files.get('data/teachers.json')!) as TeacherJson[];
    expect(teachers.map((t) => [t.name, t.titles, t.slug, t.file, t.events, t.specs])).to.deep.equal([
      ['BLAGA Paul', [], 'blaga-paul', 'teachers/blaga-paul.ics', 3, []],
      ['POP Ion', ['Lect.'], 'pop-ion', 'teachers/pop-ion.ics', 3, ['IE2']],
    ]);
    expect(second.files.get('teachers/blaga-paul.ics')!.match(/STATUS:CANCELLED/g)).to.have.length(3);
    const third = run([row({ professor: 'Lect. POP Ion' })], new Date('2031-03-15T08:00:00Z'), second.files);
    expect(third.writer.stats).to.deep.equal({ written: 0, unchanged: third.files.size, carried: 0 });
  });

  it('calendars made ahead, spec by spec, are the files made all at once; the end makes again only what a later spec named', () => {
    const legend = { '2/I': 'Cladirea Centrala' };
    const ie2 = [row({}), row({ professor: 'Lect. PÂRVU Ana', room: 'C335', startHour: 14, endHour: 16 })];
    // A later spec names Conf. BLAGA Paul again (in another room), and a second
    // "Parvu Ana" whose name sorts first: she takes the plain slug the first one had.
    const mi1 = [row({ spec: 'MI1', formation: '311', room: 'C335', day: 'Marti', dates: ['2031-03-04'] }), row({ spec: 'MI1', formation: '311', professor: 'Lect. PARVU Ana', room: 'L001', startHour: 8, endHour: 10 })];
    const once = memoryWriter();
    const all = peopleFiles({ semester: '2030-2', now: NOW1, writer: once, clock: () => 0 });
    all.add([...ie2, ...mi1]);
    const whole = all.finish(legend);

    const stepped = memoryWriter();
    const people = peopleFiles({ semester: '2030-2', now: NOW1, writer: stepped, clock: () => 0 });
    people.add(ie2);
    let made = 0;
    while (people.prepareOne(legend)) made += 1;
    expect(stepped.files.has('teachers/parvu-ana.ics')).to.equal(true); // under the plain slug, for now
    people.add(mi1);
    const summary = people.finish(legend);

    expect([...stepped.files.keys()].sort()).to.deep.equal([...once.files.keys()].sort());
    for (const [path, content] of once.files) expect(stepped.files.get(path), path).to.equal(content);
    expect(stepped.stats).to.deep.equal(once.stats);
    expect(whole).to.deep.include({ madeAhead: 0, madeAtEnd: 6, made: 6 });
    // Made ahead: BLAGA, PÂRVU, 2/I, C335 (and the state, once). At the end: BLAGA, C335 (named again), PÂRVU (slug taken), PARVU and L001 (new).
    expect(made).to.equal(5);
    expect(summary).to.deep.include({ teachers: 3, rooms: 3, files: 6, madeAhead: 1, madeAtEnd: 5, made: 9 });
  });

  it('a state shard that could not be written ahead is written at the end', () => {
    const legend = { '2/I': 'Cladirea Centrala' };
    const writer = memoryWriter();
    const write = writer.write.bind(writer);
    let failed = false;
    writer.write = (files) => {
      if (!failed && files.some((f) => f.path.startsWith('data/state/people/'))) {
        failed = true;
        throw new Error('ENOSPC: no space left on device');
      }
      write(files);
    };
    const people = peopleFiles({ semester: '2030-2', now: NOW1, writer, clock: () => 0 });
    people.add([row({})]);
    expect(() => {
      while (people.prepareOne(legend));
    }).to.throw(/ENOSPC/); // the run's idle work stops there
    expect(failed).to.equal(true);
    people.finish(legend);
    expect(JSON.parse(writer.files.get('data/state/people/teachers/b.json')!)).to.have.property('blaga-paul');
    expect(JSON.parse(writer.files.get('data/state/people/rooms/2.json')!)).to.have.property('2-i');
  });
});

describe('sortedByName', () => {
  it('orders as a sort by byName: by the folded name, then exactly, equal names keeping their order', () => {
    const names = ['Ana', 'ana', 'Âna', 'ANA', 'Ana', 'Șerban', 'Serban', 'serban', 'Zoe', 'Ă', 'A', 'Ana-Maria', 'Ana Maria'];
    const items = names.map((name, i) => ({ name, i }));
    const expected = [...items].sort((a, b) => byName(a.name, b.name));
    expect(sortedByName(items, (item) => item.name)).to.deep.equal(expected);
    expect(expected.filter((item) => item.name === 'Ana').map((item) => item.i)).to.deep.equal([0, 4]);
    expect(expected.map((item) => item.name).slice(0, 2)).to.deep.equal(['A', 'Ă']);
  });
});
