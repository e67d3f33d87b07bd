// Starts the sample faculty on 127.0.0.1 and says where its pages are.
import type { Semester } from '../model.js';
import { DEMO_CALENDAR_PATH, DEMO_SCHEDULE_PATH, demoFaculty } from './faculty.js';
import { startPageServer, type PageServer, type PageServerOptions } from './server.js';

export interface DemoServer {
  server: PageServer;
  scheduleRoot: string;
  calendarUrl: string;
  specCount: number;
}

/** A gentle profile by default: the real HTTP path, quick enough for a first look. */
export async function startDemoServer(
  semester: Semester,
  options: { scale?: number; seed?: number; server?: PageServerOptions } = {},
): Promise<DemoServer> {
  const faculty = demoFaculty({ semester, scale: options.scale ?? 1, seed: options.seed ?? 2025 });
  const server = await startPageServer(faculty.page, options.server ?? { latencyMs: 40, jitterMs: 20, slots: 8 });
  return {
    server,
    scheduleRoot: `${server.origin}${DEMO_SCHEDULE_PATH}`,
    calendarUrl: `${server.origin}${DEMO_CALENDAR_PATH}`,
    specCount: faculty.specCount,
  };
}
