/**
 * The four numbers the header cache compares (size, mtimeMs, ctimeMs, inode) for one
 * file, read into one reused object.
 *
 * Why not plain `fs.statSync`: on Node 20 each call builds a `Stats` object with four
 * eager `Date`s, about half of the ~4 µs a stat costs; a warm `heads` on 10,000 files
 * stats every file. Node's own fs binding returns the same numbers in a shared
 * Float64Array, with no object per call. That binding is internal, so it is used only
 * after it gave exactly what `fs.statSync` gives for the first file of the process
 * (same layout, same arithmetic); otherwise, and on any error, `fs.statSync` answers.
 */
import { statSync } from 'node:fs';
import { toNamespacedPath } from 'node:path';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  isFile: boolean;
}

type RawStat = (path: string, bigint: boolean, request: undefined, throwIfNoEntry: boolean) => Float64Array | undefined;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

// Offsets in the binding's array (Node's getStatsFromBinding): mode 1, ino 7, size 8,
// mtime 12–13 and ctime 14–15 as seconds + nanoseconds.
const MODE = 1;
const INO = 7;
const SIZE = 8;
const MTIME_SEC = 12;
const CTIME_SEC = 14;

let rawStat: RawStat | null | undefined;

/** Fills `into` with the stamps of `path`; throws as fs.statSync does when it cannot. */
export function stampFile(path: string, into: FileStamp): FileStamp {
  if (rawStat === undefined) rawStat = trustedRawStat(path);
  if (rawStat !== null) {
    let values: Float64Array | undefined;
    try {
      values = rawStat(toNamespacedPath(path), false, undefined, true);
    } catch {
      values = undefined; // fs.statSync below throws the error with its usual message
    }
    if (values !== undefined) return fromRaw(values, into);
  }
  const stats = statSync(path);
  into.size = stats.size;
  into.mtimeMs = stats.mtimeMs;
  into.ctimeMs = stats.ctimeMs;
  into.ino = stats.ino;
  into.isFile = stats.isFile();
  return into;
}

export function newFileStamp(): FileStamp {
  return { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0, isFile: false };
}

function fromRaw(values: Float64Array, into: FileStamp): FileStamp {
  into.size = values[SIZE]!;
  // The arithmetic of Node's msFromTimeSpec, so the numbers equal Stats' to the bit.
  into.mtimeMs = values[MTIME_SEC]! * 1e3 + values[MTIME_SEC + 1]! / 1e6;
  into.ctimeMs = values[CTIME_SEC]! * 1e3 + values[CTIME_SEC + 1]! / 1e6;
  into.ino = values[INO]!;
  into.isFile = (values[MODE]! & S_IFMT) === S_IFREG;
  return into;
}

/** The binding's stat if it agrees with fs.statSync on `probe`, else null (use fs.statSync). */
function trustedRawStat(probe: string): RawStat | null {
  // process.binding is a documentation-only deprecation that warns under --pending-deprecation.
  const options = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (options.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1') return null;
  try {
    const binding = (process as unknown as { binding(name: string): { stat?: unknown } }).binding('fs');
    if (typeof binding.stat !== 'function') return null;
    const candidate = binding.stat.bind(binding) as RawStat;
    const values = candidate(toNamespacedPath(probe), false, undefined, true);
    if (!(values instanceof Float64Array)) return null;
    const raw = fromRaw(values, newFileStamp());
    const stats = statSync(probe);
    const agrees =
      raw.size === stats.size &&
      raw.mtimeMs === stats.mtimeMs &&
      raw.ctimeMs === stats.ctimeMs &&
      raw.ino === stats.ino &&
      raw.isFile === stats.isFile();
    return agrees ? candidate : null;
  } catch {
    return null;
  }
}
