/** upgrade/downgrade/stamp/current/log/ensure-version through the built CLI, on every database. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, itDb, type ScratchDatabase } from '../support/databases.js';
import { runCli } from '../support/cli.js';
import { createProject, loggingRevisions } from './project-fixture.js';

async function snapshot(db: ScratchDatabase) {
  const tables: Record<string, unknown[]> = {};
  for (const table of ['run_log', 't1', 't2', 't3', 'migrate_version', 'migrate_history']) {
    if (await db.knex.schema.hasTable(table)) tables[table] = await db.knex(table).select('*').orderBy(1);
  }
  return tables;
}

async function reset(db: ScratchDatabase): Promise<void> {
  for (const table of ['run_log', 't1', 't2', 't3', 'migrate_version', 'migrate_history', 'tags']) await db.knex.schema.dropTableIfExists(table);
}

const failingR3 = {
  id: 'r3', down: 'r2', message: 'breaks halfway',
  upgrade: "await op.execute('CREATE TABLE t3 (id INTEGER PRIMARY KEY)'); await op.execute(\"INSERT INTO run_log (revision) VALUES ('r3')\"); await op.execute('INSERT INTO missing_table VALUES (1)');",
};

describeEachDatabase('migration commands (CLI)', (db) => {
  const project = createProject(loggingRevisions);
  const broken = createProject([loggingRevisions[0]!, loggingRevisions[1]!, failingR3, { id: 'r4', down: 'r3', upgrade: "await op.execute('CREATE TABLE t4 (id INTEGER)');" }]);
  const migrate = (args: string[], cwd = project, env: Record<string, string> = {}) => runCli(args, { cwd, env: { DATABASE_URL: db().url, ...env } });
  /** A run that must succeed; its stderr explains a failure. */
  const ok = (args: string[], cwd = project) => {
    const result = migrate(args, cwd);
    expect(result.status, result.stderr).toBe(0);
    return result;
  };

  itDb('a migration that throws halfway: FAILED naming revision, file and the database error; exit 1; state as before', async () => {
    await reset(db());
    ok(['upgrade', 'r1'], broken);
    const before = await snapshot(db());
    const result = migrate(['upgrade', 'head'], broken);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('FAILED:'))).toEqual([expect.stringMatching(/^FAILED: upgrade of r3 \(migrations\/r3_rev\.ts\) failed: .*missing_table/)]);
    if (db().dialect === 'mysql') {
      expect(lines.at(-1)).toContain('the database is at r2 (DDL it ran before the error is not rolled back');
    } else {
      expect(lines.at(-1)).toContain('the database is at r1');
      expect(await snapshot(db())).toEqual(before);
    }
  });

  itDb('with transactionPerMigration a failure stops at the last finished revision', async () => {
    await reset(db());
    const result = migrate(['upgrade', 'head'], broken, { PER_MIGRATION: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the database is at r2');
    const state = await snapshot(db());
    expect((state.migrate_version as { version_num: string }[]).map((r) => r.version_num)).toEqual(['r2']);
    expect((state.migrate_history as { revision: string }[]).map((r) => r.revision)).toEqual(['r1', 'r2']);
    expect((state.run_log as { revision: string }[]).map((r) => r.revision)).toEqual(db().dialect === 'mysql' ? ['r1', 'r2', 'r3'] : ['r1', 'r2']);
    expect('t3' in state).toBe(db().dialect === 'mysql');
  });

  itDb('current, --check-heads, -v and --json; current never creates the version table', async () => {
    await reset(db());
    const empty = migrate(['current']);
    expect(empty.status).toBe(0);
    expect(empty.lines).toEqual([]);
    expect(await db().knex.schema.hasTable('migrate_version')).toBe(false);
    const notAtHeads = migrate(['current', '--check-heads']);
    expect(notAtHeads.status).toBe(1);
    expect(notAtHeads.stderr).toMatch(/^FAILED: The database is at base, not at the heads \(r3\): run 'migrate upgrade heads'$/m);

    ok(['upgrade', 'r2']);
    expect(migrate(['current']).lines).toEqual(['r2']);
    expect(migrate(['current', '--check-heads']).status).toBe(1);
    ok(['upgrade', 'heads']);
    expect(migrate(['current', '--check-heads']).lines).toEqual(['r3 (head)']);
    const verbose = migrate(['current', '-v']);
    expect(verbose.lines.slice(0, 5)).toEqual([
      `Current revision(s) for ${db().dialect === 'sqlite' ? db().url : db().url.replace(/\/\/([^:@/]+)@/, '//$1@')}:`,
      'Rev: r3 (head)',
      'Parent: r2',
      `Path: ${join(project, 'migrations', 'r3_rev.ts')}`,
      '',
    ]);
    expect(verbose.lines[5]).toBe('    create t3');
    const json = JSON.parse(migrate(['--json', 'current']).stdout) as { current: { revision: string; isHead: boolean }[]; atHeads: boolean };
    expect(json.atHeads).toBe(true);
    expect(json.current.map((c) => [c.revision, c.isHead])).toEqual([['r3', true]]);
  });

  itDb('downgrade and relative targets; upgrade to an ancestor does nothing and says so', async () => {
    await reset(db());
    ok(['upgrade', 'head']);
    const down = migrate(['downgrade', '-2']);
    expect(down.status).toBe(0);
    expect(down.stderr.split('\n').filter(Boolean).map((l) => l.replace(/ \([\d.]+ ms\)$/, ''))).toEqual([
      'Running downgrade r3 -> r2, create t3',
      'Running downgrade r2 -> r1, create t2',
    ]);
    expect(migrate(['current']).lines).toEqual(['r1']);
    const noop = migrate(['upgrade', 'base']);
    expect(noop.status).toBe(0);
    expect(noop.stderr.trim()).toBe('Nothing to do: the database is at r1');
    expect(migrate(['-q', 'upgrade', 'r1+1']).stderr).toBe('');
    expect(migrate(['current']).lines).toEqual(['r2']);
  });

  itDb('stamp several targets and --purge, without running scripts; log shows them newest first', async () => {
    await reset(db());
    const stamp = migrate(['stamp', 'r2']);
    expect(stamp.status).toBe(0);
    expect(stamp.stderr).toMatch(/^Running stamp  -> r2 \([\d.]+ ms\)$/m);
    expect(await db().knex.schema.hasTable('t1')).toBe(false);
    expect(migrate(['current']).lines).toEqual(['r2']);
    await db().knex('migrate_version').update({ version_num: 'zz99' });
    ok(['stamp', '--purge', 'r3']);
    expect(migrate(['current']).lines).toEqual(['r3 (head)']);
    const log = migrate(['log']);
    expect(log.status).toBe(0);
    expect(log.lines.map((line) => line.replace(/^\S+ \S+  /, '').replace(/\(\d+ ms, by [^)]+\)$/, '(ms)'))).toEqual([
      'stamp      <base> -> r3  (ms)',
      'stamp      zz99 -> <base>  (ms)',
      'stamp      <base> -> r2  (ms)',
    ]);
    expect(log.lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  stamp/);
    const newest = migrate(['log', '--limit', '2']);
    expect(newest.status).toBe(0);
    expect(newest.lines).toEqual(log.lines.slice(0, 2));
  });

  itDb('-x values and --tag reach the migrations, online and with --sql; ensure-version creates the table', async () => {
    await reset(db());
    const tagged = createProject([{ id: 'x1', upgrade: "await op.execute('CREATE TABLE tags (v VARCHAR(40))'); await op.bulkInsert('tags', [{ v: `${op.xArgs.who}/${op.tag}` }]);" }]);
    ok(['-x', 'who=ada', 'upgrade', 'head', '--tag', 'release-7'], tagged);
    expect(await db().knex('tags').select('v')).toEqual([{ v: 'ada/release-7' }]);
    const offline = migrate(['-x', 'who=bob', 'upgrade', 'head', '--sql', '--tag', 'release-8'], tagged);
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain("'bob/release-8'");
    await reset(db());
    ok(['ensure_version']);
    expect(await db().knex.schema.hasTable('migrate_version')).toBe(true);
  });
});

describe('connection failures through the CLI', () => {
  const project = createProject(loggingRevisions);
  const failure = (url: string, env: Record<string, string> = {}) => {
    const result = runCli(['upgrade', 'head'], { cwd: project, env: { DATABASE_URL: url, ...env } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('s3cret');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('unreachable host', () => {
    expect(failure('postgresql://app:s3cret@127.0.0.1:1/db')).toMatch(/^FAILED: Cannot reach the PostgreSQL server of postgresql:\/\/app:\*\*\*@127\.0\.0\.1:1\/db \(ECONNREFUSED\)/);
  });

  it('wrong password (MySQL)', () => {
    expect(failure('mysql://root:s3cret@127.0.0.1:3306/test')).toMatch(/^FAILED: MySQL refused mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306\/test \(Access denied/);
  });

  it('missing database', () => {
    expect(failure('postgresql://postgres:s3cret@127.0.0.1:5432/no_such_database')).toMatch(/^FAILED: PostgreSQL says database "no_such_database" does not exist/);
  });

  it('missing driver', () => {
    // Make `pg` unresolvable, as if it were not installed.
    const dir = mkdtempSync(join(tmpdir(), 'no-pg-'));
    const blocker = join(dir, 'block-pg.cjs');
    writeFileSync(blocker, `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'pg') { const e = new Error("Cannot find module 'pg'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
  return resolve.call(this, request, ...rest);
};
`);
    expect(failure('postgresql://app:s3cret@127.0.0.1:5432/test', { NODE_OPTIONS: `--require ${blocker}` }))
      .toBe("FAILED: The PostgreSQL driver 'pg' is not installed: run npm install pg");
  });
});
