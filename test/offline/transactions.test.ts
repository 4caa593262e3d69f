/**
 * Transaction placement offline is the online runner's: non-transactional revisions and
 * op.autocommitBlock print as COMMIT … BEGIN, per-migration mode wraps each step, and a
 * PostgreSQL CREATE INDEX CONCURRENTLY in the output applies with plain `psql -f`.
 */
import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { upgrade } from '../../src/api/upgrade.js';
import type { RevisionSpec } from '../api/project-fixture.js';
import { applyWithCli, projectFor, versionRowsOf } from './support.js';

const revisions: RevisionSpec[] = [
  { id: 'n1', message: 'create t', upgrade: "await op.createTable('t', (t) => { t.increments('id'); t.string('a', 20); t.string('b', 20); });" },
  { id: 'n2', down: 'n1', transactional: false, message: 'index a concurrently', upgrade: "await op.createIndex('ix_t_a', 't', ['a'], { concurrently: true });" },
  {
    id: 'n3', down: 'n2', message: 'index b in an autocommit block',
    upgrade: "await op.execute(\"INSERT INTO t (a, b) VALUES ('x', 'y')\"); await op.autocommitBlock(async () => { await op.createIndex('ix_t_b', 't', ['b'], { concurrently: true }); }); await op.execute(\"UPDATE t SET b = 'z'\");",
  },
];

/** The output as lines of statements and step comments, without the blank lines. */
const outline = (sql: string) => sql.split('\n').filter(Boolean).map((line) => line.replace(/^(create table \S+) \(.*$/i, '$1'));

describeEachDatabase('offline transactions', (db) => {
  itDb('non-transactional revisions and autocommit blocks print outside BEGIN/COMMIT, and the file applies as is', async () => {
    const cwd = projectFor(db().url, revisions);
    const { sql } = await upgrade({ cwd, target: 'head', sql: true });
    const lines = outline(sql).filter((line) => !/migrate_history/.test(line));
    if (db().dialect === 'postgresql') {
      expect(lines).toEqual([
        'BEGIN;',
        'CREATE TABLE "migrate_version"',
        '-- Running upgrade  -> n1',
        'create table "t"',
        `INSERT INTO "migrate_version" (version_num) VALUES ('n1');`,
        'COMMIT;',
        '-- Running upgrade n1 -> n2',
        'CREATE INDEX CONCURRENTLY "ix_t_a" ON "t" ("a");',
        'BEGIN;',
        `UPDATE "migrate_version" SET version_num = 'n2' WHERE version_num = 'n1';`,
        '-- Running upgrade n2 -> n3',
        `INSERT INTO t (a, b) VALUES ('x', 'y');`,
        'COMMIT;',
        'CREATE INDEX CONCURRENTLY "ix_t_b" ON "t" ("b");',
        'BEGIN;',
        `UPDATE t SET b = 'z';`,
        `UPDATE "migrate_version" SET version_num = 'n3' WHERE version_num = 'n2';`,
        'COMMIT;',
      ]);
    }
    if (db().dialect === 'mysql') expect(lines.some((line) => /^(BEGIN|COMMIT|START)/.test(line))).toBe(false);
    // psql -f without -1: CONCURRENTLY runs outside any transaction block, as printed.
    applyWithCli(db(), sql);
    expect(await versionRowsOf(db())).toEqual(['n3']);
    expect(await db().knex('t').select('a', 'b')).toEqual([{ a: 'x', b: 'z' }]);
    if (db().dialect === 'postgresql') {
      const indexes = await db().knex.raw("SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('ix_t_a', 'ix_t_b') ORDER BY 1");
      expect(indexes.rows).toEqual([{ relname: 'ix_t_a', indisvalid: true }, { relname: 'ix_t_b', indisvalid: true }]);
    }
  });

  itDb('transactionPerMigration: each step in its own BEGIN/COMMIT', async () => {
    const cwd = projectFor(db().url, revisions.slice(0, 1).concat([{ id: 'n2', down: 'n1', upgrade: "await op.execute('CREATE TABLE u (id INTEGER)');" }]), 'transactionPerMigration: true,');
    const lines = outline((await upgrade({ cwd, target: 'head', sql: true })).sql).map((line) => line.split(' ')[0]);
    if (db().dialect === 'mysql') return expect(lines.filter((word) => /^(BEGIN|COMMIT|START)/.test(word))).toEqual([]);
    const begin = db().dialect === 'sqlite' ? 'BEGIN' : 'BEGIN;';
    expect(lines).toEqual(['CREATE', 'CREATE', begin, '--', 'create', 'INSERT', 'INSERT', 'COMMIT;', begin, '--', 'CREATE', 'UPDATE', 'INSERT', 'COMMIT;']);
  });
});
