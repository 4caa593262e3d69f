/** Small hand-made scripts, plans and sessions for testing the runtime without the script layer. */
import type { DatabaseConfig } from '../../src/config/types.js';
import type { MigrationStep, Plan, StampStep, VersionChange } from '../../src/graph/types.js';
import type { OperationContext, Operations } from '../../src/operations/types.js';
import type { RevisionModule, Script } from '../../src/script/types.js';
import type { ScratchDatabase } from '../support/databases.js';
import { openSession, type DatabaseSession } from '../../src/runtime/session.js';
import { VersionTable } from '../../src/runtime/version-table.js';
import { HistoryTable } from '../../src/runtime/history-table.js';
import { runPlan, type RunRequest, type RunResult } from '../../src/runtime/runner.js';
import { createOnlineChannel } from '../../src/runtime/online-channel.js';

export function script(id: string, down: readonly string[] = [], extra: Partial<Script> = {}): Script {
  return { id, downRevisions: down, dependsOn: [], branchLabels: [], path: `/virtual/${id}.ts`, message: `step ${id}`, doc: '', transactional: true, ...extra };
}

export function upgradeStep(revision: Script, changes: VersionChange[]): MigrationStep<Script> {
  return { kind: 'upgrade', revision, fromRevisions: revision.downRevisions, toRevisions: [revision.id], versionChanges: changes };
}

export function downgradeStep(revision: Script, changes: VersionChange[]): MigrationStep<Script> {
  return { kind: 'downgrade', revision, fromRevisions: [revision.id], toRevisions: revision.downRevisions, versionChanges: changes };
}

export function stampStep(from: string[], to: string[], changes: VersionChange[]): StampStep {
  return { kind: 'stamp', fromRevisions: from, toRevisions: to, versionChanges: changes };
}

/** A linear upgrade plan over scripts that each build on the previous one. */
export function linearUpgrade(scripts: Script[]): Plan<Script> {
  return {
    steps: scripts.map((s, i) => upgradeStep(s, i === 0 ? [{ kind: 'insert', version: s.id }] : [{ kind: 'update', from: scripts[i - 1]!.id, to: s.id }])),
    finalHeads: scripts.length ? [scripts.at(-1)!.id] : [],
  };
}

/** The smallest `op` the runtime tests need: raw SQL through the sink, and the context. */
export interface TestOps {
  execute(sql: string): Promise<void>;
  context: OperationContext;
}

export const testOperations = (context: OperationContext): Operations =>
  ({ execute: (sql: string) => context.sink.run({ sql, bindings: [] }), context }) as unknown as Operations;

export function databaseConfigOf(db: ScratchDatabase): DatabaseConfig {
  if (db.dialect === 'sqlite') {
    return { dialect: 'sqlite', knex: { client: 'better-sqlite3', connection: { filename: db.database }, useNullAsDefault: true }, displayUrl: db.url };
  }
  return { dialect: db.dialect, knex: { client: db.dialect === 'postgresql' ? 'pg' : 'mysql2', connection: db.url }, displayUrl: db.url };
}

export type Modules = Record<string, Partial<{ upgrade(op: TestOps): Promise<void>; downgrade(op: TestOps): Promise<void> }>>;

/** Runs a plan against the scratch database with the given script modules. */
export async function run(
  db: ScratchDatabase,
  plan: Plan<Script> | ((heads: readonly string[]) => Plan<Script>),
  modules: Modules,
  options: Partial<Pick<RunRequest, 'transactionPerMigration' | 'lockTimeout' | 'log' | 'tag' | 'xArgs'>> & { session?: DatabaseSession } = {},
): Promise<RunResult> {
  const session = options.session ?? (await openSession(databaseConfigOf(db)));
  try {
    return await runPlan({
      channel: createOnlineChannel(session),
      versionTable: new VersionTable(session.dialect, 'migrate_version'),
      historyTable: new HistoryTable(session.dialect, 'migrate_history'),
      plan: typeof plan === 'function' ? plan : () => plan,
      loadModule: async (s) => (modules[s.id] ?? {}) as unknown as RevisionModule,
      checksumOf: (revision) => {
        const id = typeof revision === 'string' ? revision : revision.id;
        return id ? 'f'.repeat(63) + id.slice(0, 1) : undefined;
      },
      createOperations: testOperations,
      transactionPerMigration: options.transactionPerMigration ?? false,
      lockTimeout: options.lockTimeout ?? 10_000,
      xArgs: options.xArgs ?? {},
      tag: options.tag,
      log: options.log ?? (() => undefined),
    });
  } finally {
    if (!options.session) await session.close();
  }
}

/** Drops everything the runtime tests create, so each test starts from an empty database. */
export async function resetTables(db: ScratchDatabase, tables: string[]): Promise<void> {
  for (const table of [...tables, 'migrate_version', 'migrate_history']) await db.knex.schema.dropTableIfExists(table);
}

export async function versionRows(db: ScratchDatabase, table = 'migrate_version'): Promise<string[]> {
  if (!(await db.knex.schema.hasTable(table))) return [];
  return ((await db.knex(table).select('version_num')) as { version_num: string }[]).map((r) => r.version_num).sort();
}

export async function historyRows(db: ScratchDatabase): Promise<{ operation: string; revision: string | null; from_revisions: string; to_revisions: string }[]> {
  if (!(await db.knex.schema.hasTable('migrate_history'))) return [];
  return db.knex('migrate_history').select('operation', 'revision', 'from_revisions', 'to_revisions', 'checksum').orderBy('id');
}
