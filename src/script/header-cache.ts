/**
 * Parsed revision headers kept between runs, so a warm `heads` on 10,000 files
 * only lists and stats them instead of reading and parsing every file.
 *
 * One file per set of version locations, in the compile cache folder. An entry is
 * trusted only while the file's size, mtime, ctime and inode are those seen when it
 * was parsed (as git's index does). Entries for files changed less than
 * RACY_WINDOW_MS before the scan are not stored: a same-size edit within the file
 * system's timestamp granularity would otherwise keep the old stamp and be served
 * stale. The cache is only an optimisation: unreadable, corrupt or unwritable means
 * "parse everything", never an error.
 *
 * The file is JSON lines. The first holds what the graph commands use (stamps, ids,
 * parents, labels, messages) for every file; the second, the sha256 of every file's
 * text, which upgrades read for every revision they run; then one line per file holds
 * what only some commands ask for (the whole doc, the create date). The second line is
 * parsed when a hash is first read. A file's own line is parsed the first time its doc
 * or date is read: `show` parses one line; `history -v`, which reads thousands, parses
 * them all in one go.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileStamp } from './file-stamp.js';
import { readCacheFile, serialize, STAMP_FIELDS, type DetailRow, type GraphColumns, type Row, type StoredCache, type StoredIds } from './header-cache-file.js';
import { parseScriptHeader, type ScriptHeader } from './header.js';
import { sha256 } from './loader/cache.js';
import { readScriptText } from './loader/index.js';
import type { Script } from './types.js';

/** Coarser than any common file system's mtime granularity (FAT: 2 s). */
export const RACY_WINDOW_MS = 2_000;

const NO_IDS: readonly string[] = Object.freeze([]);

/** What says a file is unchanged (fs.Stats has these too). */
type Stamps = Pick<FileStamp, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

/**
 * A Script served from the cache. doc, createDate and sha256 are getters, read from
 * the cache file on first use; if their line turns out corrupt, from the revision file
 * as it is then.
 */
class CachedScript implements Script {
  readonly source: string;
  /** doc and createDate once read (both getters of `history -v` come here). */
  private details: DetailRow | undefined;
  private sum: string | undefined;

  constructor(
    readonly path: string,
    readonly id: string,
    readonly downRevisions: readonly string[],
    readonly dependsOn: readonly string[],
    readonly branchLabels: readonly string[],
    readonly message: string,
    readonly transactional: boolean,
    private readonly stored: StoredCache,
    private readonly index: number,
  ) {
    this.source = path;
  }

  get doc(): string {
    return this.loadDetails()[0];
  }

  get createDate(): string | undefined {
    return this.loadDetails()[1] ?? undefined;
  }

  get sha256(): string {
    return (this.sum ??= this.stored.sha256(this.index) ?? this.readFile().sha256);
  }

  private loadDetails(): DetailRow {
    return (this.details ??= this.stored.detail(this.index) ?? this.readFile().details);
  }

  private readFile(): { details: DetailRow; sha256: string } {
    const text = readScriptText(this.path);
    const header = parseScriptHeader(text, this.path);
    return { details: [header.doc, header.createDate ?? null], sha256: sha256(text) };
  }
}

export class HeaderCache {
  /** The entries of this scan, in order: an index into the stored file, or a row parsed now. */
  private readonly kept: (number | Row)[] = [];
  private cursor = 0;
  private byPath: Map<string, number> | undefined;
  private changed = false;
  private readonly racyAfter: number;

  private constructor(
    private readonly file: string | undefined,
    private readonly previous: StoredCache | undefined,
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
    const index = this.previousIndex(previous.graph, path);
    if (index === undefined) return undefined;
    const graph = previous.graph;
    const stamps = graph.stamps;
    const at = index * STAMP_FIELDS;
    if (
      stamps[at] !== stats.size ||
      stamps[at + 1] !== stats.mtimeMs ||
      stamps[at + 2] !== stats.ctimeMs ||
      stamps[at + 3] !== stats.ino
    ) {
      return undefined;
    }
    this.kept.push(index);
    return new CachedScript(
      path,
      graph.ids[index]!,
      loadIds(graph.downs[index]!),
      loadIds(graph.deps[index]!),
      loadIds(graph.labels[index]!),
      graph.messages[index]!,
      graph.transactional[index] === 1,
      previous,
      index,
    );
  }

  set(path: string, stats: Stamps, header: ScriptHeader, sha256: string): void {
    this.changed = true;
    if (stats.mtimeMs >= this.racyAfter || stats.ctimeMs >= this.racyAfter) return;
    this.kept.push({
      path,
      stamps: [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino],
      id: header.revision,
      down: storeIds(header.downRevisions),
      labels: storeIds(header.branchLabels),
      deps: storeIds(header.dependsOn),
      transactional: header.transactional,
      message: header.message,
      sha256,
      detail: [header.doc, header.createDate ?? null],
    });
  }

  /** Writes the entries seen in this scan if anything differs from what was read. */
  save(): void {
    if (this.file === undefined) return;
    if (!this.changed && this.kept.length === (this.previous?.graph.ids.length ?? -1)) return;
    const rows: Row[] = [];
    for (const entry of this.kept) {
      const row = typeof entry === 'number' ? this.previous!.row(entry) : entry;
      // Corrupt detail lines: the kept entries cannot be written whole, so they are dropped.
      if (row !== undefined) rows.push(row);
    }
    const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(temporary, serialize(rows));
      // Atomic: a concurrent reader sees the old or the new file, never half of one.
      renameSync(temporary, this.file);
    } catch {
      // A read-only cache folder only costs speed.
    }
  }

  private previousIndex(graph: GraphColumns, path: string): number | undefined {
    const root = graph.root;
    if (graph.names[this.cursor] === path.slice(root.length) && path.startsWith(root)) return this.cursor++;
    // Files were added or removed: fall back to a map, once.
    this.byPath ??= new Map(graph.names.map((name, index) => [root + name, index]));
    const index = this.byPath.get(path);
    if (index !== undefined) this.cursor = index + 1;
    return index;
  }
}

/** Where the headers of these locations are cached (one file per set of locations). */
export function headerCacheFile(cacheDir: string, locations: readonly string[], recursive: boolean): string {
  const key = sha256(JSON.stringify([locations, recursive])).slice(0, 24);
  return join(cacheDir, `headers-${key}.jsonl`);
}

function storeIds(ids: readonly string[]): StoredIds {
  return ids.length === 0 ? null : ids.length === 1 ? ids[0]! : [...ids];
}

function loadIds(stored: StoredIds): readonly string[] {
  return stored === null ? NO_IDS : typeof stored === 'string' ? [stored] : stored;
}
