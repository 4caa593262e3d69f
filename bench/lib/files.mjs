// Small file helpers shared by the generators.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
