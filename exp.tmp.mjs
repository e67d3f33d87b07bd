import { startPageServer } from './dist/demo/server.js';
import { demoFaculty, DEMO_SCHEDULE_PATH, DEMO_CALENDAR_PATH } from './dist/demo/faculty.js';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
const f = demoFaculty({ semester: {year:2025,half:2}, seed: 2025 });
const run = (args) => new Promise(r => { const t=performance.now(); const p=spawn(process.execPath,args,{stdio:['ignore','pipe','ignore']}); let o=''; p.stdout.on('data',d=>o+=d); p.on('close',()=>r({ms:performance.now()-t,o})); });
for (let i=0;i<2;i++){
  let s = await startPageServer(f.page, { latencyMs: 600, jitterMs: 300, slots: 8, seed: 7 });
  const fl = await run(['dist/bench/floor.js','6',s.origin+f.indexPath,s.origin+f.legendPath,s.origin+f.calendarPath,...f.pagePaths.map(p=>s.origin+p)]);
  await s.close();
  s = await startPageServer(f.page, { latencyMs: 600, jitterMs: 300, slots: 8, seed: 7 });
  const or = await run(['dist/main.js','--semester','2025-2','--schedule-root',s.origin+DEMO_SCHEDULE_PATH,'--calendar-url',s.origin+DEMO_CALENDAR_PATH,'--out','/work/p5']);
  await s.close();
  const b=JSON.parse(readFileSync('/work/p5/data/build.json','utf8')); rmSync('/work/p5',{recursive:true});
  console.log('floor', fl.ms.toFixed(0), fl.o.trim(), '| orar wall', or.ms.toFixed(0), 'fetchMs', b.timings.fetchMs, 'total', b.timings.totalMs, 'startup+exit', (or.ms-b.timings.totalMs).toFixed(0));
}
