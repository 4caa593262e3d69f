/** Opening the configured database, and running a plan on it: shared by upgrade/downgrade/stamp. */
import { CommandError, ConfigError } from '../errors.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Plan } from '../graph/types.js';
import type { Script, ScriptDirectory } from '../script/types.js';
import { openSession, type DatabaseSession } from '../runtime/session.js';
import { VersionTable } from '../runtime/version-table.js';
import { HistoryTable } from '../runtime/history-table.js';
import { runPlan, type RunResult } from '../runtime/runner.js';
import type { ProjectOptions } from './options.js';

export type { RunResult, StepReport } from '../runtime/runner.js';

/** An open session with the project's bookkeeping tables. */
export interface ProjectDatabase {
  readonly session: DatabaseSession;
  readonly versionTable: VersionTable;
  readonly historyTable?: HistoryTable;
}

/** Opens the configured database for fn, and always closes it. */
export async function withProjectDatabase<T>(config: ResolvedConfig, fn: (db: ProjectDatabase) => Promise<T>): Promise<T> {
  if (!config.database) {
    throw new ConfigError(`No database configured${config.configPath ? ` in ${config.configPath}` : ''}: set \`url\` (or \`knex\`) in migrate.config.ts`);
  }
  const session = await openSession(config.database);
  try {
    const { dialect } = session;
    return await fn({
      session,
      versionTable: new VersionTable(dialect, config.versionTable, config.versionTableSchema),
      historyTable: config.historyTable === false ? undefined : new HistoryTable(dialect, config.historyTable, config.versionTableSchema),
    });
  } finally {
    await session.close();
  }
}

export interface RunOptions extends ProjectOptions {
  /** --tag: reaches the migrations as op.tag. */
  readonly tag?: string;
}

/** Runs the plan that `plan` makes from the heads read under the migration lock. */
export async function runProjectPlan(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  plan: (heads: readonly string[]) => Plan<Script>,
  options: RunOptions,
): Promise<RunResult> {
  const log = options.log ?? (() => undefined);
  const { createOperations } = await import('../operations/index.js');
  return withProjectDatabase(config, async (db) => {
    const result = await runPlan({
      ...db,
      plan,
      loadModule: (script) => scripts.loadModule(script),
      checksumOf: (id) => {
        const script = id ? scripts.map.get(id) : undefined;
        return script ? scripts.checksum(script) : undefined;
      },
      createOperations,
      transactionPerMigration: config.transactionPerMigration,
      lockTimeout: config.lockTimeout,
      xArgs: config.xArgs,
      tag: options.tag,
      log,
    });
    if (result.steps.length === 0) {
      log(`Nothing to do: the database is at ${result.heads.length > 0 ? result.heads.join(', ') : 'base'}`);
    }
    return result;
  });
}

/** --sql belongs to the offline-mode issue. */
export function refuseOffline(sql: boolean | undefined): void {
  if (sql) throw new CommandError('offline mode (--sql) is not available yet: run without --sql against a database');
}
