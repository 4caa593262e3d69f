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
 * parents, labels, messages) for every file; then one line per file holds what only
 * some commands ask for (the whole doc, the create date, the sha256 of the text). A
 * file's line is parsed the first time one of those is read: `heads` and `history`
 * parse none or a few, an upgrade the ones it runs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unreadableScript } from '../errors.js';
import type { FileStamp } from './file-stamp.js';
import { parseScriptHeader, type ScriptHeader } from './header.js';
import { sha256 } from './loader/cache.js';
import type { Script } from './types.js';

/** Bump when the layout or the header parser's output changes. */
const FORMAT_VERSION = 5;

/** Coarser than any common file system's mtime granularity (FAT: 2 s). */
export const RACY_WINDOW_MS = 2_000;

/** An id list as stored: null when empty, a string when single (most files), else the array. */
type StoredIds = null | string | string[];

/** Numbers that say a file is unchanged, four per file, kept apart so JSON.parse makes one unboxed double array. */
const STAMP_FIELDS = 4;

/**
 * The first line: parallel arrays in scan order (the next lookup is usually the next
 * slot, so no hashing of 10,000 paths). Columns, not a row per file: JSON.parse then
 * makes a few big arrays instead of 10,000 small ones.
 */
interface GraphColumns {
  readonly version: number;
  /** Common start of every path; `names` hold the rest. */
  readonly root: string;
  readonly names: string[];
  /** size, mtimeMs, ctimeMs, ino per file. */
  readonly stamps: number[];
  readonly ids: string[];
  readonly downs: StoredIds[];
  readonly labels: StoredIds[];
  readonly deps: StoredIds[];
  /** 1 when the revision runs in a transaction (`transactional`), else 0. */
  readonly transactional: number[];
  /** The doc's first line. */
  readonly messages: string[];
}

/** A line after the first, one per file in the same order: [doc, createDate, sha256]. */
type DetailRow = [doc: string, createDate: string | null, sha256: string];

/** One file's entry: its first-line columns, and its detail line (new, or the stored bytes). */
interface Row {
  readonly path: string;
  readonly stamps: readonly [number, number, number, number];
  readonly id: string;
  readonly down: StoredIds;
  readonly labels: StoredIds;
  readonly deps: StoredIds;
  readonly transactional: boolean;
  readonly message: string;
  /** The detail line as stored, newline included (copied, not parsed, when the cache is written again). */
  readonly detail: DetailRow | Buffer;
}

const NO_IDS: readonly string[] = Object.freeze([]);

/**
 * Detail lines parsed one by one before the rest are parsed in one go: `heads` and
 * `show` read a few, `history` and upgrades read thousands, and 10,000 small JSON.parse
 * calls on Buffer slices cost about twice one big one.
 */
const LINES_READ_ONE_BY_ONE = 16;

/** What says a file is unchanged (fs.Stats has these too). */
type Stamps = Pick<FileStamp, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

/** The cache file as read: the first line parsed, the others kept as bytes until asked for. */
class StoredCache {
  /** Where each file's detail line starts; null once the lines turned out corrupt. */
  private lineStarts: Uint32Array | null | undefined;
  /** Every line parsed at once (see LINES_READ_ONE_BY_ONE); null if they are corrupt. */
  private allDetails: DetailRow[] | null | undefined;
  private detailReads = 0;

  constructor(
    private readonly file: string,
    readonly graph: GraphColumns,
    private readonly bytes: Buffer,
    private readonly detailsStart: number,
  ) {}

  /**
   * The detail line of one file, parsed now; null if the lines are corrupt. Then the
   * cache file is removed, so that the next scan writes a whole one, and callers read
   * the revision file instead (see CachedScript).
   */
  detail(index: number): DetailRow | null {
    if (this.allDetails === undefined && ++this.detailReads > LINES_READ_ONE_BY_ONE) this.allDetails = this.parseAllDetails();
    if (this.allDetails) return this.allDetails[index]!;
    const starts = this.findLines();
    const row = starts === null ? null : parseDetail(this.bytes, starts[index]!, starts[index + 1]! - 1);
    if (row === null) this.corrupt();
    return row;
  }

  /** Every detail line in one JSON.parse: cheaper than line by line once a command reads many. */
  private parseAllDetails(): DetailRow[] | null {
    const count = this.graph.ids.length;
    let rows: unknown;
    try {
      // Newlines inside strings are escaped by JSON.stringify: the raw ones separate the lines.
      const lines = this.bytes.toString('utf8', this.detailsStart).trimEnd().replaceAll('\n', ',');
      rows = JSON.parse(`[${lines}]`);
    } catch {
      rows = undefined;
    }
    if (!Array.isArray(rows) || rows.length !== count || !rows.every(isDetailRow)) {
      this.corrupt();
      return null;
    }
    return rows as DetailRow[];
  }

  private corrupt(): void {
    if (this.lineStarts === null && this.allDetails === null) return;
    this.lineStarts = null;
    this.allDetails = null;
    removeQuietly(this.file);
  }

  /** An entry to write again: its detail line is copied as bytes. Undefined if the lines are corrupt. */
  row(index: number): Row | undefined {
    const starts = this.findLines();
    if (starts === null) return undefined;
    const graph = this.graph;
    const at = index * STAMP_FIELDS;
    const stamps = graph.stamps;
    return {
      path: graph.root + graph.names[index]!,
      stamps: [stamps[at]!, stamps[at + 1]!, stamps[at + 2]!, stamps[at + 3]!],
      id: graph.ids[index]!,
      down: graph.downs[index]!,
      labels: graph.labels[index]!,
      deps: graph.deps[index]!,
      transactional: graph.transactional[index] === 1,
      message: graph.messages[index]!,
      detail: this.bytes.subarray(starts[index]!, starts[index + 1]!),
    };
  }

  /** Where each detail line starts (plus the end), found in one pass; null if lines are missing. */
  private findLines(): Uint32Array | null {
    if (this.lineStarts !== undefined) return this.lineStarts;
    const count = this.graph.ids.length;
    const starts = new Uint32Array(count + 1);
    let at = this.detailsStart;
    for (let index = 0; index < count; index++) {
      starts[index] = at;
      const end = this.bytes.indexOf(10, at);
      if (end === -1) {
        this.corrupt();
        return null;
      }
      at = end + 1;
    }
    starts[count] = at;
    return (this.lineStarts = starts);
  }
}

/**
 * A Script served from the cache. The fields of the second line are getters, read
 * from the cache file on first use; if that line turns out corrupt, from the
 * revision file itself.
 */
class CachedScript implements Script {
  readonly source: string;
  /** doc, createDate and sha256 once read (both getters of `history` come here). */
  private details: DetailRow | undefined;

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
    return this.loadDetails()[2];
  }

  private loadDetails(): DetailRow {
    return (this.details ??= this.stored.detail(this.index) ?? this.readFile());
  }

  private readFile(): DetailRow {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw unreadableScript(this.path, error);
    }
    const header = parseScriptHeader(text, this.path);
    return [header.doc, header.createDate ?? null, sha256(text)];
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
      detail: [header.doc, header.createDate ?? null, sha256],
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
  const key = createHash('sha256').update(JSON.stringify([locations, recursive])).digest('hex').slice(0, 24);
  return join(cacheDir, `headers-${key}.jsonl`);
}

function serialize(rows: readonly Row[]): Buffer {
  const root = commonStart(rows.map((row) => row.path));
  const graph: GraphColumns = {
    version: FORMAT_VERSION,
    root,
    names: rows.map((row) => row.path.slice(root.length)),
    stamps: rows.flatMap((row) => row.stamps),
    ids: rows.map((row) => row.id),
    downs: rows.map((row) => row.down),
    labels: rows.map((row) => row.labels),
    deps: rows.map((row) => row.deps),
    transactional: rows.map((row) => (row.transactional ? 1 : 0)),
    messages: rows.map((row) => row.message),
  };
  // JSON.stringify escapes every newline inside strings: each value is one line. Lines
  // made now are joined as one string, and the copied ones stay bytes.
  const parts: Buffer[] = [];
  let text = `${JSON.stringify(graph)}\n`;
  for (const row of rows) {
    if (Buffer.isBuffer(row.detail)) {
      if (text !== '') parts.push(Buffer.from(text));
      text = '';
      parts.push(row.detail);
    } else {
      text += `${JSON.stringify(row.detail)}\n`;
    }
  }
  if (text !== '') parts.push(Buffer.from(text));
  return Buffer.concat(parts);
}

function commonStart(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let start = paths[0]!;
  for (const path of paths) {
    if (path.startsWith(start)) continue;
    let length = 0;
    const limit = Math.min(start.length, path.length);
    while (length < limit && start.charCodeAt(length) === path.charCodeAt(length)) length++;
    start = start.slice(0, length);
  }
  return start;
}

function readCacheFile(file: string): StoredCache | undefined {
  try {
    const bytes = readFileSync(file);
    const lineEnd = bytes.indexOf(10);
    if (lineEnd === -1) return undefined;
    const graph = JSON.parse(bytes.toString('utf8', 0, lineEnd)) as Partial<GraphColumns>;
    const count = Array.isArray(graph.ids) ? graph.ids.length : -1;
    const sameLength = (column: unknown) => Array.isArray(column) && column.length === count;
    const valid =
      graph.version === FORMAT_VERSION &&
      typeof graph.root === 'string' &&
      sameLength(graph.names) &&
      sameLength(graph.downs) &&
      sameLength(graph.labels) &&
      sameLength(graph.deps) &&
      sameLength(graph.transactional) &&
      sameLength(graph.messages) &&
      Array.isArray(graph.stamps) &&
      graph.stamps.length === count * STAMP_FIELDS;
    return valid ? new StoredCache(file, graph as GraphColumns, bytes, lineEnd + 1) : undefined;
  } catch {
    return undefined;
  }
}

function parseDetail(bytes: Buffer, start: number, end: number): DetailRow | null {
  try {
    const row = JSON.parse(bytes.toString('utf8', start, end)) as unknown;
    return isDetailRow(row) ? row : null;
  } catch {
    return null;
  }
}

function isDetailRow(row: unknown): row is DetailRow {
  return (
    Array.isArray(row) &&
    row.length === 3 &&
    typeof row[0] === 'string' &&
    (row[1] === null || typeof row[1] === 'string') &&
    typeof row[2] === 'string'
  );
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Unwritable: it stays corrupt, and costs speed only.
  }
}

function storeIds(ids: readonly string[]): StoredIds {
  return ids.length === 0 ? null : ids.length === 1 ? ids[0]! : [...ids];
}

function loadIds(stored: StoredIds): readonly string[] {
  return stored === null ? NO_IDS : typeof stored === 'string' ? [stored] : stored;
}
