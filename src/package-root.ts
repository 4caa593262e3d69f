/**
 * Where the running copy of alembic-ts is installed, for the files it ships beside its
 * code (package.json, templates/, dist/index.js).
 *
 * A path relative to a module's own `import.meta.url` is wrong in the build: dist/ is an
 * esbuild bundle (scripts/build.mjs), so code from src/config/resolve.ts runs from
 * dist/chunks/chunk-….js, and the chunk's name and depth are esbuild's choice. So walk
 * up from this module to the first folder whose package.json is alembic-ts's: the
 * same answer from src/ (vitest runs the sources), from the bundle, and from
 * node_modules/alembic-ts (whatever name the dependency was installed under).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_NAME = 'alembic-ts';

export interface SelfPackage {
  /** The folder holding alembic-ts's package.json. */
  readonly root: string;
  readonly version: string;
}

let found: SelfPackage | undefined;

/** The installed alembic-ts this code belongs to; found once per process (a few reads). */
export function selfPackage(): SelfPackage {
  found ??= findFrom(dirname(fileURLToPath(import.meta.url)));
  return found;
}

let selfEntry: string | null | undefined;

/**
 * The file URL of dist/index.js of the running alembic-ts (from src/ under vitest: the
 * built dist), which compiled user code imports for `alembic-ts`; undefined before a build.
 */
export function selfPackageEntry(): string | undefined {
  if (selfEntry === undefined) {
    const entry = join(selfPackage().root, 'dist', 'index.js');
    selfEntry = existsSync(entry) ? pathToFileURL(entry).href : null;
  }
  return selfEntry ?? undefined;
}

function findFrom(start: string): SelfPackage {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === PACKAGE_NAME) return { root: dir, version: String(manifest.version) };
    // The root of the file system: the package was moved apart from its package.json.
    if (dirname(dir) === dir) throw new Error(`No package.json of ${PACKAGE_NAME} in ${start} or above it.`);
  }
}

function readManifest(path: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    // None here (the usual case for dist/cli and dist/chunks), or not readable as JSON.
    return undefined;
  }
}
