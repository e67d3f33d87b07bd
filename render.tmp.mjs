import { demoFaculty } from './dist/demo/faculty.js';
import { parseTimetable } from './dist/scrape/timetable.js';
import { parseIndex } from './dist/scrape/index-page.js';
import { parseAcademicYear } from './dist/scrape/academic-year.js';
import { parseRooms } from './dist/scrape/rooms.js';
import { decodeIso88592 } from './dist/scrape/text.js';
import { teachingCalendarFor } from './dist/calendar/academic-calendar.js';
import { calendarKeyOf } from './dist/calendar/study-line.js';
import { renderSpec } from './dist/pipeline.js';
const semester={year:2025,half:2};
const f=demoFaculty({semester});
const idx=parseIndex(decodeIso88592(f.page(f.indexPath).body)).specs;
const ay=parseAcademicYear(f.page(f.calendarPath).body.toString());
const rooms=parseRooms(decodeIso88592(f.page(f.legendPath).body));
const fetched=idx.map((spec,i)=>{const p=parseTimetable(decodeIso88592(f.page(f.pagePaths[i]).body),spec.code); return {spec,url:'',groups:p.groups,warnings:[],calendar:teachingCalendarFor(ay,calendarKeyOf(spec,semester)),rooms,fetchMs:0,parseMs:0,bytes:0};});
const stamp=new Date(); const rates=[];
for (let r=0;r<8;r++){ let ev=0; const t=performance.now(); for (const x of fetched){ const g=renderSpec(x,'2025-2',stamp); ev+=g.outcome.events;} rates.push(ev/(performance.now()-t)*1000); }
console.log(rates.map(x=>Math.round(x/1000)+'k').join(' '));
