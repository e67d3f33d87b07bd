// How the engine reads the published site, wherever it is: a folder (serve,
// the CLI), an origin over HTTP (the CLI with a URL, the edge Worker). Paths
// are site-relative and always come from the site's own data (index.json,
// a spec's JSON), never from a request.

/** A published file's text and its version (size+mtime, or the origin's ETag). */
export interface SiteText {
  /** Changes whenever the bytes may have. */
  version: string;
  /** Absent when the caller's `knownVersion` is still current: the text it has is. */
  text?: string;
}

export interface SiteReader {
  /**
   * The file at this site-relative path ("data/index.json"), or null when
   * nothing is published there. With `knownVersion`, a file still at that
   * version comes back without its text (a stat, or a 304).
   */
  readText(path: string, knownVersion?: string): Promise<SiteText | null>;
}

/** A site path is made of plain segments: nothing a reader could climb out with. */
export function checkSitePath(path: string): string[] {
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || /[\u0000-\u001f\u007f\\]/.test(segment)) {
      throw new Error(`not a site path: ${JSON.stringify(path)}`);
    }
  }
  return segments;
}

/**
 * Parsed files, each kept with the version it was parsed from, and at most
 * `maxBytes` of source text held (least recently used go first). A file is
 * re-read and re-parsed only when its version changed, so a regenerated
 * site is seen at the next request, without a restart.
 */
export class ParsedFiles {
  /** path -> parsed value, its version and the size of its text; Map order is recency. */
  private readonly entries = new Map<string, { version: string; value: unknown; size: number }>();
  /** Sum of `size` over entries. */
  private bytes = 0;

  constructor(
    private readonly reader: SiteReader,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The file parsed by `parse` (cached by path and version; `kind` keeps two parsers of one path apart), or null when it is not published. */
  async get<T>(path: string, kind: string, parse: (text: string) => T): Promise<{ version: string; value: T } | null> {
    const key = `${kind}\u0000${path}`;
    const cached = this.entries.get(key);
    const found = await this.reader.readText(path, cached?.version);
    if (!found) {
      this.drop(key);
      return null;
    }
    if (cached && found.version === cached.version) {
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return { version: cached.version, value: cached.value as T };
    }
    const text = found.text ?? (await this.reader.readText(path))?.text;
    if (text === undefined) return null;
    const value = parse(text);
    this.drop(key);
    this.entries.set(key, { version: found.version, value, size: text.length });
    this.bytes += text.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
    return { version: found.version, value };
  }

  /** Whether every file is still at the version given (`absent`: still not published). */
  async unchanged(versions: readonly (readonly [string, string])[], absent = '-'): Promise<boolean> {
    const found = await Promise.all(versions.map(([path, version]) => this.reader.readText(path, version)));
    return found.every((f, i) => (f?.version ?? absent) === versions[i]![1]);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
  }
}
