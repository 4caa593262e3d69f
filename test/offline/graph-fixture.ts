/**
 * A graph with a branch point, a merge and a second labelled base, every revision
 * doing real ops (tables, columns, indexes, data with awkward literals) and undoing
 * them, so printed SQL can be applied and compared with online runs.
 */
import type { RevisionSpec } from '../api/project-fixture.js';

const awkwardRows = `[
    { name: "it's", n: 1, f: 1.5, flag: true, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) },
    { name: 'back\\\\slash \\\\n', n: -2, f: 0, flag: false, at: null },
    { name: null, n: null, f: null, flag: null, at: null },
    { name: 'line\\nbreak and "double" and ? mark', n: 2147483647, f: -0.25, flag: true, at: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 0)) },
  ]`;

export const graphRevisions: RevisionSpec[] = [
  {
    id: 'a1', message: "create t_a with awkward data: quotes ' and \\\\",
    upgrade: `await op.createTable('t_a', (t) => { t.increments('id'); t.string('name', 80).nullable(); t.integer('n').nullable(); t.float('f').nullable(); t.boolean('flag').nullable(); t.timestamp('at').nullable(); });
  await op.bulkInsert('t_a', ${awkwardRows});`,
    downgrade: "await op.dropTable('t_a');",
  },
  {
    id: 'a2', down: 'a1', message: 'note on t_a',
    upgrade: "await op.addColumn('t_a', (t) => t.string('note', 40).nullable()); await op.createIndex('ix_t_a_note', 't_a', ['note']); await op.execute(op.knex('t_a').update({ note: \"o'k\" }).where('n', '>', 0));",
    downgrade: "await op.dropIndex('ix_t_a_note', 't_a'); await op.dropColumn('t_a', 'note');",
  },
  { id: 'b1', down: 'a2', message: 'branch b', upgrade: "await op.createTable('t_b', (t) => { t.increments('id'); t.string('label', 20).notNullable().defaultTo('x'); });", downgrade: "await op.dropTable('t_b');" },
  { id: 'b2', down: 'b1', message: 'b index', upgrade: "await op.createIndex('ix_t_b_label', 't_b', ['label'], { unique: true });", downgrade: "await op.dropIndex('ix_t_b_label', 't_b');" },
  { id: 'c1', down: 'a2', message: 'branch c', upgrade: "await op.createTable('t_c', (t) => { t.increments('id'); t.integer('size').notNullable(); });", downgrade: "await op.dropTable('t_c');" },
  { id: 'c2', down: 'c1', message: 'c rows', upgrade: "await op.bulkInsert('t_c', [{ size: 1 }, { size: 2 }]);", downgrade: "await op.execute('DELETE FROM t_c');" },
  {
    id: 'm1', down: ['b2', 'c2'], message: 'merge b and c',
    upgrade: "await op.createTable('t_m', (t) => { t.increments('id'); t.string('what', 30); }); await op.execute(\"INSERT INTO t_m (what) VALUES ('merged')\");",
    downgrade: "await op.dropTable('t_m');",
  },
  { id: 'm2', down: 'm1', message: 'after the merge', upgrade: "await op.createIndex('ix_t_m_what', 't_m', ['what']);", downgrade: "await op.dropIndex('ix_t_m_what', 't_m');" },
  { id: 'x1', message: 'other base', upgrade: "await op.createTable('t_x', (t) => { t.increments('id'); });", downgrade: "await op.dropTable('t_x');" },
  { id: 'x2', down: 'x1', message: 'other base, step 2', upgrade: "await op.addColumn('t_x', (t) => t.integer('v').nullable());", downgrade: "await op.dropColumn('t_x', 'v');" },
];

/** x1 declares the label `extra` (the fixture's writer has no labels: patched in). */
export function labelExtra(file: string, id: string): string {
  return id === 'x1' ? file.replace('export const branchLabels: string[] | null = null;', "export const branchLabels: string[] | null = ['extra'];") : file;
}
