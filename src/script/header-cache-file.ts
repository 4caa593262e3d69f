/**
 * The header cache's file (see header-cache.ts): JSON lines. The first line holds, for
 * every file, what the graph commands use, in columns; the second, the sha256 of every
 * file's text in one array (what upgrades read, for every file); then one line per
 * file holds `[doc, createDate]`. The lines after the first are parsed only when asked for.
 */
import { readFileSync, rmSync } from 'node:fs';

/** Bump when the layout or the header parser's output changes. */
export const FORMAT_VERSION = 6;

/** An id list as stored: null when empty, a string when single (most files), else the array. */
export type StoredIds = null | string | string[];

/** Numbers that say a file is unchanged, four per file, kept apart so JSON.parse makes one unboxed double array. */
export const STAMP_FIELDS = 4;

/**
 * The first line: parallel arrays in scan order (the next lookup is usually the next
 * slot, so no hashing of 10,000 paths). Columns, not a row per file: JSON.parse then
 * makes a few big arrays instead of 10,000 small ones.
 */
export interface GraphColumns {
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

/** A line after the second, one per file in the same order: [doc, createDate]. */
export type DetailRow = [doc: string, createDate: string | null];

/** One file's entry: its first-line columns, and its detail line (new, or the stored bytes). */
export interface Row {
  readonly path: string;
  readonly stamps: readonly [number, number, number, number];
  readonly id: string;
  readonly down: StoredIds;
  readonly labels: StoredIds;
  readonly deps: StoredIds;
  readonly transactional: boolean;
  readonly message: string;
  readonly sha256: string;
  /** The detail line as stored, newline included (copied, not parsed, when the cache is written again). */
  readonly detail: DetailRow | Buffer;
}

/**
 * Detail lines parsed one by one before the rest are parsed in one go: `show` reads
 * one, `history -v` thousands, and 10,000 lines take 32 ms line by line (a Buffer slice
 * and a JSON.parse each) against 20 ms in one parse.
 */
const LINES_READ_ONE_BY_ONE = 16;

/** The cache file as read: the first line parsed, the others kept as bytes until asked for. */
export class StoredCache {
  /** Where each file's detail line starts; null once the lines turned out corrupt. */
  private lineStarts: Uint32Array | null | undefined;
  /** Every line parsed at once (see LINES_READ_ONE_BY_ONE); null if they are corrupt. */
  private allDetails: DetailRow[] | null | undefined;
  private detailReads = 0;
  /** The second line once parsed; null if it is corrupt. */
  private sums: string[] | null | undefined;

  constructor(
    private readonly file: string,
    readonly graph: GraphColumns,
    private readonly bytes: Buffer,
    /** Where the second line starts, and the detail lines. */
    private readonly sumsStart: number,
    private readonly detailsStart: number,
  ) {}

  /** The sha256 of one file's text as parsed; null if the line is corrupt (as detail()). */
  sha256(index: number): string | null {
    if (this.sums === undefined) {
      const sums = parseLine(this.bytes, this.sumsStart, this.detailsStart - 1);
      const count = this.graph.ids.length;
      if (Array.isArray(sums) && sums.length === count && sums.every((sum) => typeof sum === 'string')) this.sums = sums as string[];
      else this.corrupt();
    }
    return this.sums ? this.sums[index]! : null;
  }

  /**
   * The detail line of one file, parsed now; null if the lines are corrupt. Then the
   * cache file is removed, so that the next scan writes a whole one, and callers read
   * the revision file instead (see CachedScript).
   */
  detail(index: number): DetailRow | null {
    if (this.allDetails === undefined && ++this.detailReads > LINES_READ_ONE_BY_ONE) this.allDetails = this.parseAllDetails();
    if (this.allDetails) return this.allDetails[index]!;
    const starts = this.findLines();
    const row = starts === null ? null : parseLine(this.bytes, starts[index]!, starts[index + 1]! - 1);
    if (!isDetailRow(row)) {
      this.corrupt();
      return null;
    }
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
    if (this.lineStarts === null && this.allDetails === null && this.sums === null) return;
    this.lineStarts = null;
    this.allDetails = null;
    this.sums = null;
    removeQuietly(this.file);
  }

  /** An entry to write again: its detail line is copied as bytes. Undefined if the lines are corrupt. */
  row(index: number): Row | undefined {
    const sha256 = this.sha256(index);
    const starts = this.findLines();
    if (starts === null || sha256 === null) return undefined;
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
      sha256,
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

export function serialize(rows: readonly Row[]): Buffer {
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
  let text = `${JSON.stringify(graph)}\n${JSON.stringify(rows.map((row) => row.sha256))}\n`;
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

export function readCacheFile(file: string): StoredCache | undefined {
  try {
    const bytes = readFileSync(file);
    const lineEnd = bytes.indexOf(10);
    if (lineEnd === -1) return undefined;
    const sumsEnd = bytes.indexOf(10, lineEnd + 1);
    if (sumsEnd === -1) return undefined;
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
    return valid ? new StoredCache(file, graph as GraphColumns, bytes, lineEnd + 1, sumsEnd + 1) : undefined;
  } catch {
    return undefined;
  }
}

/** One line's JSON; undefined if it does not parse. */
function parseLine(bytes: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as unknown;
  } catch {
    return undefined;
  }
}

function isDetailRow(row: unknown): row is DetailRow {
  return Array.isArray(row) && row.length === 2 && typeof row[0] === 'string' && (row[1] === null || typeof row[1] === 'string');
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Unwritable: it stays corrupt, and costs speed only.
  }
}
