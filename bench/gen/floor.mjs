// The floor's input: the same statements as one JSON file, run by bench/floor.mjs.
import { join } from 'node:path';
import { freshDir, write } from '../lib/files.mjs';
import { stepSql } from '../lib/workloads.mjs';

/** Linear graphs only: the floor keeps one version row, as every tool does on a line. */
export function generateFloor(dir, { revisions, workload, dialect }) {
  freshDir(dir, '.');
  const steps = revisions.map((revision) => ({ rev: revision.id, parent: revision.parents[0] ?? null, ...stepSql(workload, dialect, revision) }));
  write(join(dir, 'steps.json'), JSON.stringify({ dialect, steps }));
}
