// The package version, read once from package.json (one level above src/ and dist/).
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const USER_AGENT = `orar-cal/${VERSION} (+timetable calendars for students)`;
