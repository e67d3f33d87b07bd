// Where the faculty's and the university's pages are, and where a run keeps
// its HTTP cache. A module of its own so the command line can name them
// without loading the generator.
export const DEFAULT_SCHEDULE_ROOT = 'https://www.cs.ubbcluj.ro/files/orar';
export const DEFAULT_CALENDAR_URL = 'https://www.ubbcluj.ro/ro/studenti/invatamant/structura_anului_universitar';
/** Where a run keeps its HTTP cache when --cache-dir is not given. */
export const DEFAULT_CACHE_DIR = '.cache/orar-cal';
