/**
 * Offline-mode test helpers: a project folder per database, the database CLIs that
 * apply a printed file (psql, mysql, sqlite3), schema dumps to compare, and an online
 * run whose statements are captured through knex's 'query' event.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScratchDatabase } from '../support/databases.js';
import { revisionFile, type RevisionSpec } from '../api/project-fixture.js';
import { loadProject } from '../../src/api/project.js';
import { projectRunRequest } from '../../src/api/database.js';
import { openSession } from '../../src/runtime/session.js';
import { runPlan } from '../../src/runtime/runner.js';
import { createOnlineChannel } from '../../src/runtime/online-channel.js';
import { offlineKnex, renderStatement } from '../../src/runtime/offline-channel.js';
import type { Plan } from '../../src/graph/types.js';
import type { Script } from '../../src/script/types.js';
import type { RevisionMap } from '../../src/graph/index.js';

export const SAMPLE_MIGRATIONS = new URL('../../migrations', import.meta.url).pathname;

/** A project folder whose config points at `url` (a literal: the api runs in this process). */
export function projectFor(
  url: string,
  revisions: RevisionSpec[] | 'sample',
  extraConfig = '',
  transform: (file: string, id: string) => string = (file) => file,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-offline-'));
  if (revisions === 'sample') cpSync(SAMPLE_MIGRATIONS, join(dir, 'migrations'), { recursive: true });
  else {
    mkdirSync(join(dir, 'migrations'));
    for (const spec of revisions) writeFileSync(join(dir, 'migrations', `${spec.id}_rev.ts`), transform(revisionFile(spec), spec.id));
  }
  writeFileSync(join(dir, 'migrate.config.ts'), `export default { url: ${JSON.stringify(url)}, scriptLocation: 'migrations', ${extraConfig} };\n`);
  return dir;
}

/** Applies a printed SQL file with the database's own CLI, as a DBA would (psql without -1). */
export function applyWithCli(db: ScratchDatabase, sql: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-sql-'));
  const file = join(dir, 'out.sql');
  writeFileSync(file, sql);
  const options = { stdio: ['pipe', 'pipe', 'pipe'] as ('pipe')[], encoding: 'utf8' as const };
  if (db.dialect === 'postgresql') {
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, db.url], options);
  } else if (db.dialect === 'mysql') {
    const url = new URL(db.url);
    execFileSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', url.username || 'root', db.database], { ...options, input: sql });
  } else {
    execFileSync('sqlite3', ['-bail', db.database], { ...options, input: sql });
  }
}

/** The schema as text, for comparing two databases (pg_dump, SHOW CREATE TABLE, sqlite_master). */
export async function schemaOf(db: ScratchDatabase): Promise<string> {
  if (db.dialect === 'postgresql') {
    const dump = execFileSync('pg_dump', ['--schema-only', '--no-owner', db.url], { encoding: 'utf8' });
    return dump.split('\n').filter((line) => line.trim() && !/^(--|\\(un)?restrict |SET |SELECT pg_catalog\.set_config)/.test(line)).join('\n');
  }
  if (db.dialect === 'mysql') {
    const [tables] = (await db.knex.raw('SHOW TABLES')) as [Record<string, string>[]];
    const texts: string[] = [];
    for (const name of tables.map((row) => Object.values(row)[0]!).sort()) {
      const [[row]] = (await db.knex.raw('SHOW CREATE TABLE ??', [name])) as [Record<string, string>[]];
      texts.push(row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, ''));
    }
    return texts.join('\n');
  }
  const rows = (await db.knex.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")) as { type: string; name: string; sql: string }[];
  return rows.map((row) => `${row.type} ${row.name}: ${row.sql}`).join('\n');
}

export async function versionRowsOf(db: ScratchDatabase): Promise<string[]> {
  if (!(await db.knex.schema.hasTable('migrate_version'))) return [];
  return ((await db.knex('migrate_version').select('version_num')) as { version_num: string }[]).map((row) => row.version_num).sort();
}

/** History rows without what differs between two runs (id, time, duration). */
export async function historyOf(db: ScratchDatabase): Promise<string[]> {
  if (!(await db.knex.schema.hasTable('migrate_history'))) return [];
  const rows = (await db.knex('migrate_history').orderBy('id')) as Record<string, unknown>[];
  return rows.map((row) => [row.operation, row.revision, row.from_revisions, row.to_revisions, row.message, row.checksum, row.db_user].join('|'));
}

/** Every table's rows, sorted, for comparing data. */
export async function dataOf(db: ScratchDatabase, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await db.knex(table).select('*')) as Record<string, unknown>[];
    result[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

export type PlanMaker = (map: RevisionMap<Script>) => (heads: readonly string[]) => Plan<Script>;

/**
 * Runs a plan online against `db` through the api's own RunRequest, and returns the
 * statements knex sent on the session's connection, rendered as offline mode renders
 * them (without the `;` terminator).
 */
export async function runOnlineCapturing(project: string, db: ScratchDatabase, makePlan: PlanMaker): Promise<string[]> {
  const { config, scripts } = await loadProject({ cwd: project });
  const session = await openSession(config.database!);
  const captured: { sql: string; bindings: unknown[] }[] = [];
  session.knex.on('query', (query: { sql: string; bindings?: unknown[] }) => captured.push({ sql: query.sql, bindings: query.bindings ?? [] }));
  try {
    await runPlan(await projectRunRequest(config, scripts, createOnlineChannel(session), makePlan(scripts.map), {}));
  } finally {
    await session.close();
  }
  const knex = offlineKnex(config.database!);
  try {
    return captured.map(({ sql, bindings }) => {
      // knex numbered pg's placeholders ($1) before the event: back to its own `?`.
      const text = db.dialect === 'postgresql' && bindings.length > 0 ? sql.replace(/\$\d+/g, '?') : sql;
      return renderStatement(knex, session.dialect, { sql: text, bindings }).replace(/;\n\n$/, '');
    });
  } finally {
    await knex.destroy();
  }
}

/** The statements of printed SQL, without the step comments. */
export function statementsOfOutput(sql: string): string[] {
  return sql.split(/;\n\n/).map((chunk) => chunk.replace(/^\s*(-- [^\n]*\n\n)+/, '').trim()).filter((chunk) => chunk && !chunk.startsWith('-- '));
}

/**
 * What an online run sends that offline mode does not: its reads (table exists?, the
 * version rows, the lock), and on MySQL the transaction statements around the version
 * rows (MySQL commits DDL implicitly, so the file carries no BEGIN/COMMIT). History
 * rows differ only in their time, duration and user: compared through the tables instead.
 */
export function comparable(statements: readonly string[], dialect: ScratchDatabase['dialect']): string[] {
  return statements
    .filter((sql) => !/^\s*select\b/i.test(sql))
    .filter((sql) => dialect !== 'mysql' || !/^(START TRANSACTION|COMMIT)$/.test(sql))
    .map((sql) => (/^insert into \S*migrate_history/i.test(sql) ? 'insert into migrate_history …' : sql));
}
