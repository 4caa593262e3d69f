/**
 * The session's connection and its knex instance. On SQLite the dialect opens the
 * connection itself and knex is made over that same connection only when something
 * asks for it; the servers' sessions are knex instances from the start.
 */
import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { openSession } from '../../src/runtime/session.js';
import type { Operations } from '../../src/operations/types.js';
import { createOperations } from '../../src/operations/index.js';
import { databaseConfigOf, linearUpgrade, resetTables, run, script, versionRows } from './fixtures.js';

const a = script('aaa1');
const b = script('bbb2', ['aaa1']);

describeEachDatabase('a session', (db) => {
  itDb('runs a plan of plain statements without making knex where the dialect opens its own connection', async () => {
    await resetTables(db(), ['t_plain']);
    const session = await openSession(databaseConfigOf(db()));
    try {
      expect(Boolean(session.own)).toBe(db().dialect === 'sqlite');
      await run(db(), linearUpgrade([a, b]), {
        aaa1: { upgrade: (op) => op.execute('CREATE TABLE t_plain (id INTEGER PRIMARY KEY)') },
        bbb2: { upgrade: (op) => op.execute('INSERT INTO t_plain (id) VALUES (1)') },
      }, { session });
      expect(await versionRows(db())).toEqual(['bbb2']);
      expect(session.madeKnex === undefined).toBe(db().dialect === 'sqlite');
      // Reads go through the same road.
      expect(await session.query('SELECT id FROM t_plain')).toEqual([{ id: 1 }]);
    } finally {
      await session.close();
    }
  });

  itDb('makes knex over the same connection mid-run: op.knex and op.getBind() see the run\'s uncommitted work', async () => {
    await resetTables(db(), ['t_shared']);
    const session = await openSession(databaseConfigOf(db()));
    let seen: unknown[] = [];
    try {
      await run(db(), linearUpgrade([a, b]), {
        aaa1: { upgrade: (op) => op.execute('CREATE TABLE t_shared (id INTEGER PRIMARY KEY)') },
        bbb2: {
          async upgrade(op) {
            await op.execute('INSERT INTO t_shared (id) VALUES (7)');
            // A second connection would wait on SQLite's write lock, or not see row 7 before the COMMIT.
            const ops = createOperations(op.context) as Operations;
            seen = [
              (await ops.knex('t_shared').select('id')).map((row: { id: number }) => Number(row.id)),
              (await ops.getBind()('t_shared').count({ n: '*' }))[0]!.n,
            ];
            await ops.knex('t_shared').insert({ id: 8 });
          },
        },
      }, { session });
      expect(seen.map(Number).slice(1)).toEqual([1]);
      expect(seen[0]).toEqual([7]);
      expect(session.madeKnex).toBeDefined();
      expect((await session.query('SELECT id FROM t_shared ORDER BY id')).map((row) => Number(row.id))).toEqual([7, 8]);
    } finally {
      await session.close();
    }
    // Closing closed the one connection: a new session takes the write lock at once.
    const next = await openSession(databaseConfigOf(db()));
    try {
      expect(await next.query('SELECT COUNT(*) AS n FROM t_shared').then((rows) => Number(rows[0]!.n))).toBe(2);
    } finally {
      await next.close();
    }
  });
}, ['sqlite', 'postgresql', 'mysql']);

describeEachDatabase('a SQLite session whose knex config the dialect does not open itself', (db) => {
  itDb('leaves the connection to knex, and runs the same', async () => {
    await resetTables(db(), ['t_knex']);
    const config = databaseConfigOf(db());
    // An option knex knows and the dialect's own opening does not: knex opens the connection.
    const session = await openSession({ ...config, knex: { ...config.knex, connection: { filename: db().database, flags: [] } as never } });
    try {
      expect(session.own).toBeUndefined();
      await run(db(), linearUpgrade([a]), { aaa1: { upgrade: (op) => op.execute('CREATE TABLE t_knex (id INTEGER PRIMARY KEY)') } }, { session });
      expect(await versionRows(db())).toEqual(['aaa1']);
      expect(session.madeKnex).toBeDefined();
    } finally {
      await session.close();
    }
  });
}, ['sqlite']);
