// Small file helpers shared by the generators.
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Empties `dir` and recreates it with a `migrations`-like subfolder. */
export function freshDir(dir, subfolder) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, subfolder), { recursive: true });
}

export function write(path, text) {
  writeFileSync(path, text);
}

/** A fixed create date, so generated files are byte-identical between runs. */
export const CREATE_DATE = '2026-01-01 00:00:00.000000';

/**
 * Dates every file under `dir` an hour back, as the files of a project that has been in
 * git for a while. alembic-ts does not cache the header of a file changed in the last
 * 2 s (header-cache.ts), so freshly generated files would be re-read on every timed run.
 */
export function ageFiles(dir) {
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath ?? entry.path, entry.name), hourAgo, hourAgo);
  }
}
