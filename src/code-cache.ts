/**
 * V8's code cache for classic scripts run with node:vm: Node 20 offers one for scripts
 * only (not for ES modules), and with it V8 reads compiled functions back instead of
 * parsing and compiling their source again. Used for the revision batches
 * (script/loader/batch-script.ts), and for our own CommonJS bundles (runCommonJs): the
 * CLI (cli/launch.ts) and knex (runtime/knex.ts).
 *
 * A cache file starts with the inode, mtime and size of the script it was made from:
 * V8 itself only checks the source's length, so a cache of another text of the same
 * length would be accepted. Any rewrite of the script (a rename onto it) changes the
 * inode and retires the cache. A fourth number is the owner's (see `tag`).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { cacheDirFor } from './cache-dir.js';
import { selfPackage } from './package-root.js';

/** A script's text and the stamps of the file it was read from. */
export interface ReadScript {
  readonly text: string;
  readonly stamps: Float64Array;
}

export interface CodeCache {
  readonly data: Buffer;
  /** What the owner recorded with it (the batches: which exports it holds). */
  readonly tag: number;
}

/** Reads a script's text with the stamps its code cache is checked against. */
export function readScript(path: string): ReadScript {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), stamps: Float64Array.of(stats.ino, stats.mtimeMs, stats.size) };
  } finally {
    closeSync(fd);
  }
}

const STAMPS = 3;
const HEADER_BYTES = (STAMPS + 1) * 8;

/** The cache made from the script with these stamps, if there is one. */
export function readCodeCache(path: string, stamps: Float64Array): CodeCache | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_BYTES) return undefined;
  for (let field = 0; field < STAMPS; field++) {
    if (data.readDoubleLE(field * 8) !== stamps[field]) return undefined;
  }
  return { data: data.subarray(HEADER_BYTES), tag: data.readDoubleLE(STAMPS * 8) };
}

/**
 * Writes the script's code cache as it stands (with every function compiled so far).
 * Atomic, and never fatal: a folder that cannot be written only costs speed.
 */
export function writeCodeCache(path: string, stamps: Float64Array, tag: number, script: Script): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const header = Buffer.alloc(HEADER_BYTES);
    for (let field = 0; field < STAMPS; field++) header.writeDoubleLE(stamps[field]!, field * 8);
    header.writeDoubleLE(tag, STAMPS * 8);
    writeFileSync(temporary, Buffer.concat([header, script.createCachedData()]));
    renameSync(temporary, path);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}

/** A CommonJS file run by runCommonJs: its exports, and how to keep its code cache. */
export interface CommonJsScript<T> {
  readonly exports: T;
  /**
   * Makes the code cache if there was none or V8 refused it. Call it once the work is
   * done: the cache then holds every function compiled by then.
   */
  saveCodeCache(): void;
}

// node:crypto on demand: loading it costs ~5-10 ms, and `migrate --version` (cli/launch.ts),
// which loads this module, needs none of it.
const requireHere = createRequire(import.meta.url);
function sha256(text: string): string {
  const { createHash } = requireHere('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Runs a CommonJS file of this package as a classic script with its code cache,
 * `<name>-<hash of the file's path>[-<variant>].v8` in the installation's cache folder
 * (or $MIGRATE_CACHE_DIR). Its `require` resolves from the file, as Node's would.
 */
export function runCommonJs<T>(file: string, name: string, variant?: string): CommonJsScript<T> {
  const read = readScript(file);
  const hash = sha256(file).slice(0, 16);
  const cachePath = join(cacheDirFor(selfPackage().root), `${name}-${hash}${variant ? `-${variant}` : ''}.v8`);
  const cached = readCodeCache(cachePath, read.stamps);
  const script = new Script(Module.wrap(read.text), { filename: file, cachedData: cached?.data });
  const module = { exports: {} as T };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const remake = cached === undefined || script.cachedDataRejected;
  return {
    exports: module.exports,
    saveCodeCache: () => {
      if (remake) writeCodeCache(cachePath, read.stamps, 0, script);
    },
  };
}
