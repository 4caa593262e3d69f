/**
 * Parsed revision headers kept between runs, so a warm `heads` on 10,000 files
 * only lists and stats them instead of reading and parsing every file.
 *
 * One JSON file per set of version locations, in the compile cache folder. An
 * entry is trusted only while the file's size, mtime, ctime and inode are those
 * seen when it was parsed (as git's index does). Entries for files changed less
 * than RACY_WINDOW_MS before the scan are not stored: a same-size edit within the
 * file system's timestamp granularity would otherwise keep the old stamp and be
 * served stale. The cache is only an optimisation: unreadable, corrupt or
 * unwritable means "parse everything", never an error.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileStamp } from './file-stamp.js';
import type { ScriptHeader } from './header.js';
import type { Script } from './types.js';

/** Bump when the entry layout or the header parser's output changes. */
const FORMAT_VERSION = 4;

/** Coarser than any common file system's mtime granularity (FAT: 2 s). */
export const RACY_WINDOW_MS = 2_000;

/** An id list as stored: null when empty, a string when single (most files), else the array. */
type StoredIds = null | string | string[];

/**
 * [revision, down, labels, dependsOn, transactional, doc, createDate, sha256 of the text].
 * The hash is trusted on the same stamps as the header: an upgrade then reads no file
 * whose module is cached (its checksum and the batch's cache key come from here).
 */
type Entry = [string, StoredIds, StoredIds, StoredIds, boolean, string, string | null, string];

/** Numbers that say a file is unchanged, four per file, kept apart so JSON.parse makes one unboxed double array. */
const STAMP_FIELDS = 4;

/**
 * Parallel arrays in scan order: the next lookup is usually the next slot, so
 * no hashing of 10,000 paths; `stamps` holds size, mtimeMs, ctimeMs, ino per file.
 */
interface CacheFile {
  readonly version: number;
  readonly paths: string[];
  readonly stamps: number[];
  readonly entries: Entry[];
}

const NO_IDS: readonly string[] = Object.freeze([]);

/** What says a file is unchanged (fs.Stats has these too). */
type Stamps = Pick<FileStamp, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

export class HeaderCache {
  private readonly paths: string[] = [];
  private readonly stamps: number[] = [];
  private readonly entries: Entry[] = [];
  private cursor = 0;
  private byPath: Map<string, number> | undefined;
  private changed = false;
  private readonly racyAfter: number;

  private constructor(
    private readonly file: string | undefined,
    private readonly previous: CacheFile | undefined,
    racyWindowMs: number,
  ) {
    this.racyAfter = Date.now() - racyWindowMs;
  }

  /**
   * The cache of these locations in `cacheDir`; an `undefined` cacheDir gives one that
   * is always empty and never saves. `racyWindowMs` is for tests.
   */
  static open(
    cacheDir: string | undefined,
    locations: readonly string[],
    recursive: boolean,
    racyWindowMs = RACY_WINDOW_MS,
  ): HeaderCache {
    if (cacheDir === undefined) return new HeaderCache(undefined, undefined, racyWindowMs);
    const file = headerCacheFile(cacheDir, locations, recursive);
    return new HeaderCache(file, readCacheFile(file), racyWindowMs);
  }

  /** The script of `path` from the cache if the file is unchanged since it was parsed. */
  get(path: string, stats: Stamps): Script | undefined {
    const previous = this.previous;
    if (previous === undefined) return undefined;
    const index = this.previousIndex(previous, path);
    if (index === undefined) return undefined;
    const stamps = previous.stamps;
    const at = index * STAMP_FIELDS;
    if (
      stamps[at] !== stats.size ||
      stamps[at + 1] !== stats.mtimeMs ||
      stamps[at + 2] !== stats.ctimeMs ||
      stamps[at + 3] !== stats.ino
    ) {
      return undefined;
    }
    const entry = previous.entries[index]!;
    this.paths.push(path);
    this.stamps.push(stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino);
    this.entries.push(entry);
    return scriptOf(path, entry);
  }

  set(path: string, stats: Stamps, header: ScriptHeader, sha256: string): void {
    this.changed = true;
    if (stats.mtimeMs >= this.racyAfter || stats.ctimeMs >= this.racyAfter) return;
    this.paths.push(path);
    this.stamps.push(stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino);
    this.entries.push([
      header.revision, storeIds(header.downRevisions), storeIds(header.branchLabels), storeIds(header.dependsOn),
      header.transactional, header.doc, header.createDate ?? null, sha256,
    ]);
  }

  /** Writes the entries seen in this scan if anything differs from what was read. */
  save(): void {
    if (this.file === undefined) return;
    if (!this.changed && this.entries.length === (this.previous?.entries.length ?? -1)) return;
    const content: CacheFile = { version: FORMAT_VERSION, paths: this.paths, stamps: this.stamps, entries: this.entries };
    const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(temporary, JSON.stringify(content));
      // Atomic: a concurrent reader sees the old or the new file, never half of one.
      renameSync(temporary, this.file);
    } catch {
      // A read-only cache folder only costs speed.
    }
  }

  private previousIndex(previous: CacheFile, path: string): number | undefined {
    if (previous.paths[this.cursor] === path) return this.cursor++;
    // Files were added or removed: fall back to a map, once.
    this.byPath ??= new Map(previous.paths.map((stored, index) => [stored, index]));
    const index = this.byPath.get(path);
    if (index !== undefined) this.cursor = index + 1;
    return index;
  }
}

/** Where the headers of these locations are cached (one file per set of locations). */
export function headerCacheFile(cacheDir: string, locations: readonly string[], recursive: boolean): string {
  const key = createHash('sha256').update(JSON.stringify([locations, recursive])).digest('hex').slice(0, 24);
  return join(cacheDir, `headers-${key}.json`);
}

function readCacheFile(file: string): CacheFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    const valid =
      parsed.version === FORMAT_VERSION &&
      Array.isArray(parsed.paths) &&
      Array.isArray(parsed.entries) &&
      Array.isArray(parsed.stamps) &&
      parsed.paths.length === parsed.entries.length &&
      parsed.stamps.length === parsed.entries.length * STAMP_FIELDS;
    return valid ? (parsed as CacheFile) : undefined;
  } catch {
    return undefined;
  }
}

function storeIds(ids: readonly string[]): StoredIds {
  return ids.length === 0 ? null : ids.length === 1 ? ids[0]! : [...ids];
}

function loadIds(stored: StoredIds): readonly string[] {
  return stored === null ? NO_IDS : typeof stored === 'string' ? [stored] : stored;
}

/** The Script itself, not a header to copy from: one object per file for the GC, not two. */
function scriptOf(path: string, entry: Entry): Script {
  const doc = entry[5];
  const firstLineEnd = doc.indexOf('\n');
  const script: Script = {
    id: entry[0],
    downRevisions: loadIds(entry[1]),
    dependsOn: loadIds(entry[3]),
    branchLabels: loadIds(entry[2]),
    source: path,
    path,
    // The message is the doc's first line (see describeDoc), so it is not stored twice.
    message: firstLineEnd === -1 ? doc : doc.slice(0, firstLineEnd),
    doc,
    transactional: entry[4],
    sha256: entry[7],
  };
  if (entry[6] !== null) (script as { createDate?: string }).createDate = entry[6];
  return script;
}
