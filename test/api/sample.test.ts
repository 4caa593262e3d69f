/**
 * The sample application (migrations/) through the built CLI: upgrade head → downgrade
 * base → upgrade head on every database, checking the schema, data and version rows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { describeEachDatabase, itDb, type ScratchDatabase } from '../support/databases.js';
import { runCli } from '../support/cli.js';
import { columnNames, constraintsOf, indexesOf, tableNames } from '../operations/support.js';

const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');
const HEAD = '7f1d4b8e2a6c';

function sampleProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-sample-'));
  writeFileSync(join(dir, 'migrate.config.ts'), `export default { url: process.env.DATABASE_URL, scriptLocation: ${JSON.stringify(MIGRATIONS)} };\n`);
  return dir;
}

async function versionRows(db: ScratchDatabase): Promise<string[]> {
  return ((await db.knex('migrate_version').select('version_num')) as { version_num: string }[]).map((r) => r.version_num);
}

describeEachDatabase('sample application through the CLI', (db) => {
  const project = sampleProject();
  const migrate = (...args: string[]) => {
    const result = runCli(args, { cwd: project, env: { DATABASE_URL: db().url } });
    expect(result.status, result.stderr).toBe(0);
    return result;
  };

  async function expectAtHead(): Promise<void> {
    expect(await tableNames(db())).toEqual(['migrate_history', 'migrate_version', 'order_status_history', 'orders', 'users']);
    expect(await columnNames(db(), 'users')).toEqual(['id', 'email', 'created_at', 'phone_number', 'first_name', 'last_name']);
    expect((await indexesOf(db(), 'users')).map((index) => index.name)).toEqual(['ix_users_email', 'ix_users_phone_number']);
    if (db().dialect !== 'sqlite') {
      expect(await constraintsOf(db(), 'order_status_history')).toEqual(expect.arrayContaining([
        'fk_order_status_history_changed_by_users FOREIGN KEY',
        'fk_order_status_history_order_id_orders FOREIGN KEY',
      ]));
    }
    expect(await versionRows(db())).toEqual([HEAD]);
  }

  itDb('upgrade head, downgrade base, upgrade head', async () => {
    // First revision only, then data for the backfill to work on.
    const first = migrate('upgrade', '+1');
    expect(first.stderr).toMatch(/^Running upgrade  -> 3a8f1c2d4b7e, create users and orders tables \([\d.]+ ms\)$/m);
    expect(await versionRows(db())).toEqual(['3a8f1c2d4b7e']);
    await db().knex('users').insert([
      { username: 'ada_lovelace', email: 'ada@example.com' },
      { username: 'plato', email: 'plato@example.com' },
    ]);

    const up = migrate('upgrade', 'head');
    expect(up.stderr.split('\n').filter((line) => line.startsWith('Running upgrade'))).toHaveLength(5);
    await expectAtHead();
    expect(await db().knex('users').orderBy('id').select('first_name', 'last_name')).toEqual([
      { first_name: 'ada', last_name: 'lovelace' },
      { first_name: 'plato', last_name: '' },
    ]);
    expect(migrate('current').lines).toEqual([`${HEAD} (head)`]);

    const down = migrate('downgrade', 'base');
    expect(down.stderr.split('\n').filter((line) => line.startsWith('Running downgrade'))).toHaveLength(6);
    expect(down.stderr).toMatch(/^Running downgrade 3a8f1c2d4b7e -> , create users and orders tables/m);
    expect(await tableNames(db())).toEqual(['migrate_history', 'migrate_version']);
    expect(await versionRows(db())).toEqual([]);
    expect(migrate('current').lines).toEqual([]);

    migrate('upgrade', 'head');
    await expectAtHead();
    expect(await db().knex('users').count({ n: '*' }).then((rows) => Number(rows[0]!.n))).toBe(0);

    // Every step is in the history, newest first.
    const log = JSON.parse(migrate('--json', 'log').stdout) as { operation: string; toRevisions: string[]; checksum: string }[];
    expect(log).toHaveLength(1 + 5 + 6 + 6);
    expect(log[0]).toMatchObject({ operation: 'upgrade', toRevisions: [HEAD] });
    expect(log.every((entry) => /^[0-9a-f]{64}$/.test(entry.checksum))).toBe(true);
  }, 180_000);
});
