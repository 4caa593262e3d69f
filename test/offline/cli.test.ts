/**
 * Offline mode through the built CLI: no connection is ever opened, stdout carries SQL
 * only, the SPEC §7 format, and every misuse is one FAILED: line with exit 1.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createProject, type RevisionSpec } from '../api/project-fixture.js';

const revisions: RevisionSpec[] = [
  { id: 'r1', message: 'create t1', upgrade: "await op.createTable('t1', (t) => { t.increments('id'); t.string('name', 20); });", downgrade: "await op.dropTable('t1');" },
  { id: 'r2', down: 'r1', message: 'index t1', upgrade: "await op.createIndex('ix_t1_name', 't1', ['name']);", downgrade: "await op.dropIndex('ix_t1_name', 't1');" },
  { id: 'r3', down: 'r2', message: 'seed t1', upgrade: "await op.bulkInsert('t1', [{ name: \"o'neil\" }]);", downgrade: "await op.execute('DELETE FROM t1');" },
];

// Hosts that do not exist, and an SQLite file in a folder that does not: offline never touches them.
const URLS = {
  postgresql: 'postgresql://app:s3cret@no-such-host.invalid:5432/app',
  mysql: 'mysql://app:s3cret@no-such-host.invalid:3306/app',
  sqlite: 'sqlite:////no/such/folder/app.db',
} as const;

const project = createProject(revisions);
const sql = (url: string, args: string[], cwd = project) => runCli(args, { cwd, env: { DATABASE_URL: url } });

function failedLine(result: ReturnType<typeof runCli>): string {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^FAILED: /);
  return lines[0]!;
}

describe('offline mode through the CLI', () => {
  for (const [dialect, url] of Object.entries(URLS)) {
    it(`${dialect}: upgrade head --sql opens no connection and prints SQL only, in SPEC §7's format`, () => {
      const result = sql(url, ['upgrade', 'head', '--sql']);
      expect(result.stderr).not.toContain('FAILED');
      expect(result.status).toBe(0);
      const out = result.stdout;
      // Every chunk is a `-- ` comment or a statement ending with `;`, each followed by a blank line.
      for (const chunk of out.split('\n\n').filter(Boolean)) expect(chunk).toMatch(/^-- Running (upgrade|downgrade|stamp_revision) .*$|;$/s);
      expect(out.endsWith(';\n\n')).toBe(true);
      expect(out).toContain('-- Running upgrade  -> r1\n\n');
      expect(out).toContain('-- Running upgrade r1 -> r2\n\n');
      expect(out).toMatch(/CREATE TABLE .migrate_version. \(version_num VARCHAR\(32\) NOT NULL/);
      expect(out).toMatch(/CREATE TABLE .migrate_history./);
      expect(out).toMatch(dialect === 'mysql' ? /'o\\'neil'/ : /'o''neil'/);
      expect(out).toMatch(/INSERT INTO .migrate_version. \(version_num\) VALUES \('r1'\);/);
      if (dialect === 'mysql') expect(out).not.toMatch(/^(BEGIN|START TRANSACTION|COMMIT)/m);
      else {
        expect(out.startsWith(dialect === 'sqlite' ? 'BEGIN IMMEDIATE;\n\n' : 'BEGIN;\n\n')).toBe(true);
        expect(out.endsWith('COMMIT;\n\n')).toBe(true);
      }
      // Progress goes to stderr, never into the SQL.
      expect(result.stderr).toContain('Running upgrade r2 -> r3, seed t1');
      expect(out).not.toMatch(/^Running/m);
    });
  }

  it('sqlite: the database file is never created', () => {
    const file = '/tmp/migrate-offline-never-created.db';
    expect(sql(`sqlite:///${file}`, ['upgrade', 'head', '--sql']).status).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('FROM:TO starts from FROM: no version table is created, and the first step updates its row', () => {
    const out = sql(URLS.postgresql, ['upgrade', 'r1:r3', '--sql']).stdout;
    expect(out).not.toContain('CREATE TABLE');
    expect(out).toContain('-- Running upgrade r1 -> r2');
    expect(out).not.toContain('-- Running upgrade  -> r1');
    expect(out).toContain(`UPDATE "migrate_version" SET version_num = 'r2' WHERE version_num = 'r1';`);
  });

  it('downgrade FROM:TO, every identifier form on either side', () => {
    const out = sql(URLS.postgresql, ['downgrade', 'head:base', '--sql']).stdout;
    expect(out.match(/^-- Running downgrade .*$/gm)).toEqual(['-- Running downgrade r3 -> r2', '-- Running downgrade r2 -> r1', '-- Running downgrade r1 -> ']);
    expect(out).toContain(`DELETE FROM "migrate_version" WHERE version_num = 'r1';`);
    expect(sql(URLS.postgresql, ['downgrade', 'r3:-1', '--sql']).stdout.match(/^-- Running .*$/gm)).toEqual(['-- Running downgrade r3 -> r2']);
    expect(sql(URLS.postgresql, ['upgrade', 'base:+2', '--sql']).stdout.match(/^-- Running .*$/gm)).toEqual(['-- Running upgrade  -> r1', '-- Running upgrade r1 -> r2']);
    expect(sql(URLS.postgresql, ['upgrade', 'r1:r2+1', '--sql']).stdout.match(/^-- Running .*$/gm)).toEqual(['-- Running upgrade r1 -> r2', '-- Running upgrade r2 -> r3']);
  });

  it('stamp --sql and ensure-version --sql', () => {
    const stamped = sql(URLS.postgresql, ['stamp', 'r2', '--sql']).stdout;
    expect(stamped).toContain('-- Running stamp_revision  -> r2');
    expect(stamped).toContain(`INSERT INTO "migrate_version" (version_num) VALUES ('r2');`);
    expect(stamped).not.toContain('create table "t1"');
    const moved = sql(URLS.postgresql, ['stamp', 'r1:r3', '--sql']).stdout;
    expect(moved).not.toContain('CREATE TABLE');
    expect(moved).toContain(`SET version_num = 'r3' WHERE version_num = 'r1'`);
    const ensured = sql(URLS.mysql, ['ensure-version', '--sql']);
    expect(ensured.status).toBe(0);
    expect(ensured.stdout.split('\n\n').filter(Boolean).map((s) => s.slice(0, 32))).toEqual(['CREATE TABLE `migrate_version` (', 'CREATE TABLE `migrate_history` (']);
  });

  it('historyTable: false leaves the history table out of the SQL', () => {
    const noHistory = createProject(revisions, 'historyTable: false,');
    const out = sql(URLS.sqlite, ['upgrade', 'head', '--sql'], noHistory).stdout;
    expect(out).toContain('migrate_version');
    expect(out).not.toContain('migrate_history');
  });

  it('misuse: one FAILED: line each', () => {
    expect(failedLine(sql(URLS.postgresql, ['downgrade', 'base', '--sql']))).toMatch(/downgrade --sql needs a range FROM:TO/);
    expect(failedLine(sql(URLS.postgresql, ['stamp', 'r2', '--sql', '--purge']))).toMatch(/--purge cannot be used with --sql/);
    expect(failedLine(sql(URLS.postgresql, ['upgrade', 'r3:r1', '--sql']))).toMatch(/r1 is not above r3.*downgrade r3:r1 --sql/);
    expect(failedLine(sql(URLS.postgresql, ['downgrade', 'r1:r3', '--sql']))).toMatch(/r3 is not a valid downgrade target/);
    expect(failedLine(sql(URLS.postgresql, ['upgrade', 'r1:nope', '--sql']))).toMatch(/nope/);
    expect(failedLine(sql(URLS.postgresql, ['revision', '-m', 'x', '--sql']))).toMatch(/revision does not take --sql/);
    expect(failedLine(sql(URLS.postgresql, ['upgrade', 'r1:r3']))).toMatch(/a range FROM:TO is only for --sql/);
  });

  it('ops that need a live database stop, naming the op, the revision and the way out', () => {
    const needsDatabase = createProject([
      { id: 'g1', upgrade: "const rows = await op.getBind().raw('select 1');" },
      { id: 'g2', down: 'g1', upgrade: "await op.batchAlterTable('t1', (batch) => batch.alterColumn('name', { nullable: false }));" },
      { id: 'g3', down: 'g2', upgrade: "await op.alterColumn('t1', 'name', { nullable: false });" },
    ]);
    const bind = failedLine(sql(URLS.postgresql, ['upgrade', 'g1', '--sql'], needsDatabase));
    expect(bind).toMatch(/getBind\(\) on postgresql: offline mode \(--sql\) has no database connection.*op\.execute\(\).*op\.isOffline.*\[revision g1\]/);
    const batch = failedLine(sql(URLS.sqlite, ['upgrade', 'g1:g2', '--sql'], needsDatabase));
    expect(batch).toMatch(/batchAlterTable\(t1\) on sqlite: .*offline mode cannot read.*copyFrom.*\[revision g2\]/);
    const alter = failedLine(sql(URLS.mysql, ['upgrade', 'g2:g3', '--sql'], needsDatabase));
    expect(alter).toMatch(/alterColumn\(t1\.name\) on mysql: .*existingType.*\[revision g3\]/);
  });
});
