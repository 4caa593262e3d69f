/**
 * Lists the revision files of the version locations (SPEC §3) and reads each
 * header from its text, or from the header cache when the file is unchanged.
 * Sync calls on purpose: 10,000 small files are stat'ed and read faster in one
 * tight loop than through the promise machinery (measured: docs/loader.md).
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { unreadableScript } from '../errors.js';
import { newFileStamp, stampFile, type FileStamp } from './file-stamp.js';
import { HeaderCache } from './header-cache.js';
import { sha256 } from './loader/cache.js';
import { parseScriptHeader, type ScriptHeader } from './header.js';
import type { Script } from './types.js';

const SCRIPT_FILE = /\.(?:ts|mts|js|mjs)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export function isRevisionFileName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_') && SCRIPT_FILE.test(name) && !DECLARATION_FILE.test(name);
}

/** `dir` is absolute and normalised (the config resolves it): concatenation is path.join without its cost. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** Paths of the revision files, sorted. Not recursive: candidates by name (the stat of the scan drops folders). */
export function listRevisionFiles(locations: readonly string[], recursive: boolean): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    if (!recursive) {
      // Indexed loops over the listing here and in scanScripts: run once, before V8
      // optimises them, a for-of allocates a result object per file.
      const names = readdirSync(dir);
      for (let at = 0; at < names.length; at++) {
        const name = names[at]!;
        if (isRevisionFileName(name)) files.push(childPath(dir, name));
      }
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = childPath(dir, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path))) {
        if (!entry.name.startsWith('.') && !entry.name.startsWith('_') && entry.name !== 'node_modules') visit(path);
      } else if (isRevisionFileName(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const location of new Set(locations)) {
    if (existsSync(location)) visit(location);
  }
  return files.sort();
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export interface ScanOptions {
  /** Folder of the header cache (see header-cache.ts); undefined parses every file. */
  readonly cacheDir?: string;
  /** Files changed this recently are not cached (see header-cache.ts); tests lower it. */
  readonly racyWindowMs?: number;
}

export interface ScannedScripts {
  readonly scripts: Script[];
  /** How many headers came from the cache (the rest were read and parsed). */
  readonly cached: number;
  /**
   * The text of every file this scan read (by path): the files the cache did not
   * serve. A cold upgrade compiles exactly these, so it need not read and hash them again.
   */
  readonly texts: Map<string, string>;
}

export function scanScripts(locations: readonly string[], recursive: boolean, options: ScanOptions = {}): ScannedScripts {
  const cache = HeaderCache.open(options.cacheDir, locations, recursive, options.racyWindowMs);
  const reader = new TextReader();
  const scripts: Script[] = [];
  const texts = new Map<string, string>();
  let cached = 0;
  const stats = newFileStamp();
  try {
    const paths = listRevisionFiles(locations, recursive);
    for (let at = 0; at < paths.length; at++) {
      const path = paths[at]!;
      statScript(path, stats);
      if (!stats.isFile) continue;
      let script = cache.get(path, stats);
      if (script) {
        cached++;
      } else {
        const text = reader.read(path, stats.size);
        const header = parseScriptHeader(text, path);
        const hash = sha256(text);
        cache.set(path, stats, header, hash);
        script = toScript(path, header, hash);
        texts.set(path, text);
      }
      scripts.push(script);
    }
  } finally {
    // Also after a header error: the files parsed so far need not be parsed again.
    cache.save();
  }
  return { scripts, cached, texts };
}

function toScript(path: string, header: ScriptHeader, hash: string): Script {
  return {
    id: header.revision,
    downRevisions: header.downRevisions,
    dependsOn: header.dependsOn,
    branchLabels: header.branchLabels,
    source: path,
    path,
    message: header.message,
    doc: header.doc,
    ...(header.createDate !== undefined ? { createDate: header.createDate } : {}),
    transactional: header.transactional,
    sha256: hash,
  };
}

function statScript(path: string, into: FileStamp): void {
  try {
    stampFile(path, into);
  } catch (error) {
    throw unreadableScript(path, error);
  }
}

/**
 * Reads whole files through one reused buffer: no per-file Buffer for the GC to collect.
 * The scan has just stat'ed the file, so a read that returns exactly that size in
 * answer to a request for more is the whole file: one read() per file instead of a
 * second one to see the end (a system call is ~5 µs on a small VM; 10,000 a cold scan).
 * A file that grew or shrank since the stat is read on to its end.
 */
class TextReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  read(path: string, expectedSize: number): string {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw unreadableScript(path, error);
    }
    try {
      if (expectedSize >= this.buffer.length) this.grow(expectedSize + 1);
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) this.grow(Math.max(fstatSync(fd).size + 1, length * 2));
        const requested = this.buffer.length - length;
        const count = readSync(fd, this.buffer, length, requested, null);
        if (count === 0) break;
        length += count;
        if (count < requested && length === expectedSize) break;
      }
      return this.buffer.toString('utf8', 0, length);
    } catch (error) {
      throw unreadableScript(path, error);
    } finally {
      closeSync(fd);
    }
  }

  private grow(size: number): void {
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger);
    this.buffer = bigger;
  }
}
