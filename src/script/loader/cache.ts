/**
 * Where compiled TypeScript lives between runs, and how an entry is named.
 *
 * An entry is `<key>.mjs`, key = sha256 of (format version, the running alembic-ts's
 * folder, source path, source text): a compiled config imports `alembic-ts` from that
 * copy's dist/index.js, so two installed copies sharing a cache must not share entries.
 * When the bundle pulled in other local files, `<key>.deps.json` lists them with their
 * sha256 so an edit to a helper invalidates the entry.
 */
import * as crypto from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrateError } from '../../errors.js';
import { selfPackage } from '../../package-root.js';

/** Bump when the compiled output changes shape, so old entries are not reused. */
const FORMAT_VERSION = '6';

export interface CacheDependency {
  readonly path: string;
  readonly sha256: string;
}

/**
 * crypto.hash (Node 20.12+) is a one-shot without a Hash object: ~2x faster on the small
 * files every cold scan hashes. Older Node 20 releases take the stream API.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256(text: string): string {
  return oneShotHash !== undefined ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

export function entryKey(sourcePath: string, sourceText: string): string {
  return crypto.createHash('sha256')
    .update(FORMAT_VERSION).update('\0').update(selfPackage().root)
    .update('\0').update(sourcePath).update('\0').update(sourceText)
    .digest('hex').slice(0, 40);
}

/** The cached module path if present and its dependencies unchanged; else undefined. */
export function lookup(cacheDir: string, key: string): string | undefined {
  const modulePath = join(cacheDir, `${key}.mjs`);
  let depsText: string | undefined;
  try {
    depsText = readFileSync(join(cacheDir, `${key}.deps.json`), 'utf8');
  } catch {
    // No deps file: the entry depends on its source alone, which the key covers.
    return existsSync(modulePath) ? modulePath : undefined;
  }
  const deps = JSON.parse(depsText) as CacheDependency[];
  for (const dep of deps) {
    let text: string;
    try {
      text = readFileSync(dep.path, 'utf8');
    } catch {
      return undefined;
    }
    if (sha256(text) !== dep.sha256) return undefined;
  }
  return existsSync(modulePath) ? modulePath : undefined;
}

/**
 * Writes an entry atomically (rename), so a concurrent runner never imports half a file.
 * A folder that cannot be written is the user's to fix: one line saying which.
 */
export function store(cacheDir: string, key: string, code: string, map: string, deps: readonly CacheDependency[]): string {
  try {
    return write(cacheDir, key, code, map, deps);
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw new MigrateError(
      `Cannot write the compile cache in ${cacheDir} (${(error as Error).message}): make that folder writable, or point MIGRATE_CACHE_DIR at one that is`,
      { cause: error },
    );
  }
}

function write(cacheDir: string, key: string, code: string, map: string, deps: readonly CacheDependency[]): string {
  mkdirSync(cacheDir, { recursive: true });
  const modulePath = join(cacheDir, `${key}.mjs`);
  const depsPath = join(cacheDir, `${key}.deps.json`);
  const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  if (deps.length > 0) {
    writeFileSync(depsPath + suffix, JSON.stringify(deps));
    renameSync(depsPath + suffix, depsPath);
  }
  if (map) {
    writeFileSync(modulePath + '.map' + suffix, map);
    renameSync(modulePath + '.map' + suffix, modulePath + '.map');
  }
  writeFileSync(modulePath + suffix, code);
  renameSync(modulePath + suffix, modulePath);
  return modulePath;
}
