import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { LockTimeoutError, MigrationError } from '../../src/errors.js';
import { openSession } from '../../src/runtime/session.js';
import { VersionTableMismatch } from '../../src/runtime/version-table.js';
import {
  databaseConfigOf, downgradeStep, historyRows, linearUpgrade, resetTables, run, script, stampStep, versionRows, type Modules,
} from './fixtures.js';

const a = script('aaa1');
const b = script('bbb2', ['aaa1']);
const c = script('ccc3', ['bbb2']);
const tables = ['t_a', 't_b', 't_c'];

const creating: Modules = {
  aaa1: { upgrade: (op) => op.execute('CREATE TABLE t_a (id INTEGER PRIMARY KEY)'), downgrade: (op) => op.execute('DROP TABLE t_a') },
  bbb2: { upgrade: (op) => op.execute('CREATE TABLE t_b (id INTEGER PRIMARY KEY)'), downgrade: (op) => op.execute('DROP TABLE t_b') },
  ccc3: { upgrade: (op) => op.execute('CREATE TABLE t_c (id INTEGER PRIMARY KEY)'), downgrade: (op) => op.execute('DROP TABLE t_c') },
};

/** b creates its table and inserts a row, then fails on a table that does not exist. */
const failingAtB: Modules = {
  ...creating,
  bbb2: {
    async upgrade(op) {
      await op.execute('CREATE TABLE t_b (id INTEGER PRIMARY KEY)');
      await op.execute('INSERT INTO t_a (id) VALUES (1)');
      await op.execute('INSERT INTO no_such_table (id) VALUES (1)');
    },
  },
};

const doingNothing = (scripts: { id: string }[]): Modules => Object.fromEntries(scripts.map((s) => [s.id, { upgrade: async () => undefined }]));

describeEachDatabase('runPlan', (db) => {
  itDb('runs the steps in order, with version rows, history rows and progress lines', async () => {
    await resetTables(db(), tables);
    const lines: string[] = [];
    const result = await run(db(), linearUpgrade([a, b, c]), creating, { log: (l) => lines.push(l) });
    expect(result.startHeads).toEqual([]);
    expect(result.heads).toEqual(['ccc3']);
    expect(await versionRows(db())).toEqual(['ccc3']);
    for (const table of tables) expect(await db().knex.schema.hasTable(table)).toBe(true);
    expect(await historyRows(db())).toEqual([
      { operation: 'upgrade', revision: 'aaa1', from_revisions: '', to_revisions: 'aaa1', checksum: 'f'.repeat(63) + 'a' },
      { operation: 'upgrade', revision: 'bbb2', from_revisions: 'aaa1', to_revisions: 'bbb2', checksum: 'f'.repeat(63) + 'b' },
      { operation: 'upgrade', revision: 'ccc3', from_revisions: 'bbb2', to_revisions: 'ccc3', checksum: 'f'.repeat(63) + 'c' },
    ]);
    expect(lines.map((l) => l.replace(/ \([\d.]+ ms\)$/, ''))).toEqual([
      'Running upgrade  -> aaa1, step aaa1',
      'Running upgrade aaa1 -> bbb2, step bbb2',
      'Running upgrade bbb2 -> ccc3, step ccc3',
    ]);
    expect(lines[0]).toMatch(/ \([\d.]+ ms\)$/);
  });

  itDb('downgrades and stamps, writing one history row per step', async () => {
    await resetTables(db(), tables);
    await run(db(), linearUpgrade([a, b, c]), creating);
    const result = await run(db(), { steps: [downgradeStep(c, [{ kind: 'update', from: 'ccc3', to: 'bbb2' }]), stampStep(['bbb2'], [], [{ kind: 'delete', version: 'bbb2' }])], finalHeads: [] }, creating);
    expect(result.heads).toEqual([]);
    expect(await versionRows(db())).toEqual([]);
    expect(await db().knex.schema.hasTable('t_c')).toBe(false);
    const history = await historyRows(db());
    expect(history.slice(3).map((h) => [h.operation, h.revision, h.from_revisions, h.to_revisions])).toEqual([
      ['downgrade', 'ccc3', 'ccc3', 'bbb2'],
      ['stamp', null, 'bbb2', ''],
    ]);
  });

  itDb('a failure in whole-run mode leaves transactional-DDL databases as before; MySQL at the last finished step', async () => {
    await resetTables(db(), tables);
    const error = await run(db(), linearUpgrade([a, b, c]), failingAtB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const message = (error as MigrationError).message;
    expect(message).toContain('upgrade of bbb2 (/virtual/bbb2.ts) failed');
    expect(message).toMatch(/no_such_table/);
    expect((error as MigrationError).revision).toBe('bbb2');
    if (db().dialect === 'mysql') {
      expect(message).toContain('the database is at aaa1');
      expect(await versionRows(db())).toEqual(['aaa1']);
      expect((await historyRows(db())).map((h) => h.revision)).toEqual(['aaa1']);
      expect(await db().knex.schema.hasTable('t_b')).toBe(true); // DDL committed implicitly
      // After an implicit commit MySQL is back in autocommit mode: the INSERT that followed stays too.
      expect(await db().knex('t_a').count({ n: '*' })).toEqual([{ n: 1 }]);
    } else {
      expect(message).toContain('the database is at base');
      expect(await db().knex.schema.hasTable('migrate_version')).toBe(false);
      expect(await db().knex.schema.hasTable('migrate_history')).toBe(false);
      for (const table of tables) expect(await db().knex.schema.hasTable(table)).toBe(false);
    }
  });

  itDb('a failure with transactionPerMigration leaves the last finished revision', async () => {
    await resetTables(db(), tables);
    const error = await run(db(), linearUpgrade([a, b, c]), failingAtB, { transactionPerMigration: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain('the database is at aaa1');
    expect(await versionRows(db())).toEqual(['aaa1']);
    expect((await historyRows(db())).map((h) => h.revision)).toEqual(['aaa1']);
    expect(await db().knex.schema.hasTable('t_a')).toBe(true);
    expect(Number(((await db().knex('t_a').count({ n: '*' })) as { n: number }[])[0]!.n)).toBe(db().dialect === 'mysql' ? 1 : 0);
    expect(await db().knex.schema.hasTable('t_b')).toBe(db().dialect === 'mysql');
  });

  itDb('plans from the heads read under the lock', async () => {
    await resetTables(db(), tables);
    await run(db(), linearUpgrade([a, b]), creating);
    const seen: (readonly string[])[] = [];
    const result = await run(db(), (heads) => {
      seen.push(heads);
      return heads.includes('bbb2') ? linearUpgrade([]) : linearUpgrade([a, b]);
    }, creating);
    expect(seen).toEqual([['bbb2']]);
    expect(result.steps).toEqual([]);
    expect(await versionRows(db())).toEqual(['bbb2']);
  });

  itDb('runs non-transactional revisions and autocommit blocks outside the transaction', async () => {
    await resetTables(db(), [...tables, 't_x']);
    const concurrently = db().dialect === 'postgresql' ? 'CONCURRENTLY ' : '';
    const modules: Modules = {
      ...creating,
      bbb2: {
        async upgrade(op) {
          await op.execute('CREATE TABLE t_b (id INTEGER PRIMARY KEY, v INTEGER)');
          await op.context.autocommitBlock(() => op.execute(`CREATE INDEX ${concurrently}ix_t_b_v ON t_b (v)`));
          await op.execute('CREATE TABLE t_x (id INTEGER PRIMARY KEY)');
        },
      },
      ccc3: { upgrade: (op) => op.execute(`CREATE INDEX ${concurrently}ix_t_a_id ON t_a (id)`) },
    };
    const plan = linearUpgrade([a, b, { ...c, transactional: false }]);
    const result = await run(db(), plan, modules);
    expect(result.heads).toEqual(['ccc3']);
    expect(await versionRows(db())).toEqual(['ccc3']);
    expect(await db().knex.schema.hasTable('t_x')).toBe(true);
    expect((await historyRows(db())).length).toBe(3);
  });

  itDb('passes -x values and --tag to the operations context', async () => {
    await resetTables(db(), tables);
    let seen: unknown;
    await run(db(), linearUpgrade([a]), { aaa1: { upgrade: async (op) => void (seen = [op.context.xArgs, op.context.tag, op.context.revision, op.context.dialect, op.context.isOffline]) } }, { xArgs: { k: 'v' }, tag: 'release-1' });
    expect(seen).toEqual([{ k: 'v' }, 'release-1', 'aaa1', db().dialect, false]);
  });

  itDb('a runner that cannot get the lock says who holds it and gives up after lockTimeout', async () => {
    await resetTables(db(), tables);
    const holder = await openSession(databaseConfigOf(db()));
    try {
      const lock = await holder.dialect.acquireLock(holder, holder.database, { versionTable: 'migrate_version', timeoutMs: 0, onWait: () => undefined });
      const lines: string[] = [];
      const error = await run(db(), linearUpgrade([a]), creating, { lockTimeout: 300, log: (l) => lines.push(l) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as Error).message).toMatch(/^Gave up after 300 ms waiting for the migration lock held by /);
      expect(lines[0]).toMatch(/^Waiting for the migration lock held by /);
      if (db().dialect === 'postgresql') expect((error as Error).message).toContain(`(alembic-ts ${process.pid})`);
      if (db().dialect === 'mysql') expect((error as Error).message).toMatch(/MySQL connection \d+ \(root@/);
      expect(await versionRows(db())).toEqual([]);
      await lock.release();
      const result = await run(db(), linearUpgrade([a]), creating, { lockTimeout: 300 });
      expect(result.heads).toEqual(['aaa1']);
    } finally {
      await holder.close();
    }
  });

  itDb('a version row removed during the run stops it: nothing is kept, and the message says what happened', async () => {
    await resetTables(db(), tables);
    const removingTheRow: Modules = { ...creating, bbb2: { upgrade: (op) => op.execute('DELETE FROM migrate_version') } };
    const error = await run(db(), linearUpgrade([a, b, c]), removingTheRow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionTableMismatch);
    expect((error as Error).message).toMatch(/^The version table migrate_version was expected to hold one row 'aaa1' but holds 0: /);
    if (db().dialect !== 'mysql') {
      expect(await versionRows(db())).toEqual([]);
      expect(await historyRows(db())).toEqual([]);
      expect(await db().knex.schema.hasTable('t_a')).toBe(false);
    }
    expect(await db().knex.schema.hasTable('t_c')).toBe(false);
  });

  itDb('a migration reading the version table sees every step before it', async () => {
    await resetTables(db(), tables);
    const seen: unknown[] = [];
    const reading: Modules = {
      ...creating,
      ccc3: {
        async upgrade(op) {
          const bind = op.context.getBind();
          seen.push((await bind('migrate_version').select('version_num')).map((row: { version_num: string }) => row.version_num));
        },
      },
    };
    await run(db(), linearUpgrade([a, b, c]), reading);
    expect(seen).toEqual([['bbb2']]);
  });

  itDb('history rows of a long run are written in batches, one per step and in step order', async () => {
    await resetTables(db(), tables);
    const chain = Array.from({ length: 230 }, (_, i) => script(`r${String(i).padStart(3, '0')}`, i === 0 ? [] : [`r${String(i - 1).padStart(3, '0')}`]));
    await run(db(), linearUpgrade(chain), doingNothing(chain));
    const rows = await historyRows(db());
    expect(rows.map((row) => row.revision)).toEqual(chain.map((s) => s.id));
    expect(rows.map((row) => row.from_revisions)).toEqual(chain.map((s) => s.downRevisions.join(',')));
  });

  itDb('a failing step leaves no history rows of the run behind it (whole run) or after the last commit (per migration)', async () => {
    await resetTables(db(), tables);
    const chain = Array.from({ length: 150 }, (_, i) => script(`r${String(i).padStart(3, '0')}`, i === 0 ? [] : [`r${String(i - 1).padStart(3, '0')}`]));
    const failing: Modules = { ...doingNothing(chain), r120: { upgrade: (op) => op.execute('INSERT INTO no_such_table (id) VALUES (1)') } };
    await expect(run(db(), linearUpgrade(chain), failing)).rejects.toBeInstanceOf(MigrationError);
    // MySQL commits every step (DDL commits implicitly): the steps before the failure stay.
    expect((await historyRows(db())).map((row) => row.revision)).toEqual(db().dialect === 'mysql' ? chain.slice(0, 120).map((s) => s.id) : []);
    await resetTables(db(), tables);
    await expect(run(db(), linearUpgrade(chain), failing, { transactionPerMigration: true })).rejects.toBeInstanceOf(MigrationError);
    expect((await historyRows(db())).map((row) => row.revision)).toEqual(chain.slice(0, 120).map((s) => s.id));
    expect(await versionRows(db())).toEqual(['r119']);
  });
});
