/** Opening the configured database, and running a plan on it (or printing it offline): shared by upgrade/downgrade/stamp. */
import { ConfigError } from '../errors.js';
import type { DatabaseConfig, ResolvedConfig } from '../config/types.js';
import type { Dialect } from '../dialects/index.js';
import type { Plan } from '../graph/types.js';
import type { Script, ScriptDirectory } from '../script/types.js';
import { openSession, type DatabaseSession } from '../runtime/session.js';
import { VersionTable } from '../runtime/version-table.js';
import { HistoryTable } from '../runtime/history-table.js';
import { runPlan, type RunRequest, type RunResult } from '../runtime/runner.js';
import type { RunChannel } from '../runtime/channel.js';
import { createOnlineChannel } from '../runtime/online-channel.js';
import { createOfflineChannel } from '../runtime/offline-channel.js';
import type { ProjectOptions } from './options.js';
import { saveCodeCaches } from '../script/loader/index.js';

export type { RunResult, StepReport } from '../runtime/runner.js';

/** An open session with the project's bookkeeping tables. */
export interface ProjectDatabase {
  readonly session: DatabaseSession;
  readonly versionTable: VersionTable;
  readonly historyTable?: HistoryTable;
}

/** Opens the configured database for fn, and always closes it. */
export async function withProjectDatabase<T>(config: ResolvedConfig, fn: (db: ProjectDatabase) => Promise<T>): Promise<T> {
  const session = await openSession(requireDatabase(config));
  try {
    return await fn({ session, ...bookkeepingTables(config, session.dialect) });
  } finally {
    await session.close();
  }
}

export interface RunOptions extends ProjectOptions {
  /** --tag: reaches the migrations as op.tag. */
  readonly tag?: string;
}

/** What an offline run returns: the run as planned, and its SQL (SPEC §7 format). */
export interface OfflineRunResult extends RunResult {
  readonly sql: string;
}

/** Runs the plan that `plan` makes from the heads read under the migration lock. */
export async function runProjectPlan(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  plan: (heads: readonly string[]) => Plan<Script>,
  options: RunOptions,
): Promise<RunResult> {
  const log = options.log ?? (() => undefined);
  return withProjectDatabase(config, async (db) => {
    const result = await runRevisions(await projectRunRequest(config, scripts, createOnlineChannel(db.session), plan, options));
    if (result.steps.length === 0) {
      log(`Nothing to do: the database is at ${result.heads.length > 0 ? result.heads.join(', ') : 'base'}`);
    }
    return result;
  });
}

/**
 * Offline mode: the same run, printed instead of executed, from `startHeads` (the
 * range's FROM) rather than from rows read. No connection is opened.
 */
export async function printProjectPlan(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  startHeads: readonly string[],
  plan: (heads: readonly string[]) => Plan<Script>,
  options: RunOptions,
): Promise<OfflineRunResult> {
  const channel = await createOfflineChannel(requireDatabase(config), { heads: startHeads });
  try {
    const result = await runRevisions(await projectRunRequest(config, scripts, channel, plan, options));
    return { ...result, sql: channel.text() };
  } finally {
    await channel.knex.destroy();
  }
}

/** runPlan, then the code caches of the batches it ran, which now hold the functions the steps called. */
async function runRevisions(request: RunRequest<Script>): Promise<RunResult> {
  const called = new Set<string>();
  try {
    const result = await runPlan(request);
    for (const step of result.steps) called.add(step.kind);
    return result;
  } finally {
    saveCodeCaches([...called]);
  }
}

/** The RunRequest of a command: the same for a run online and offline, but for the channel. */
export async function projectRunRequest(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  channel: RunChannel,
  plan: (heads: readonly string[]) => Plan<Script>,
  options: RunOptions,
): Promise<RunRequest<Script>> {
  const { createOperations } = await import('../operations/index.js');
  return {
    channel,
    ...bookkeepingTables(config, channel.dialect),
    plan,
    loadModule: (script) => scripts.loadModule(script),
    loadModules: (revisions) => scripts.loadModules(revisions),
    checksumOf: (revision) => {
      const script = typeof revision !== 'string' ? revision : revision ? scripts.map.get(revision) : undefined;
      return script ? scripts.checksum(script) : undefined;
    },
    createOperations,
    transactionPerMigration: config.transactionPerMigration,
    lockTimeout: config.lockTimeout,
    xArgs: config.xArgs,
    tag: options.tag,
    log: options.log,
  };
}

/** The version and history tables the config names. */
export function bookkeepingTables(config: ResolvedConfig, dialect: Dialect): { versionTable: VersionTable; historyTable?: HistoryTable } {
  return {
    versionTable: new VersionTable(dialect, config.versionTable, config.versionTableSchema),
    historyTable: config.historyTable === false ? undefined : new HistoryTable(dialect, config.historyTable, config.versionTableSchema),
  };
}

/** The configured database, or the error that says how to configure one. */
export function requireDatabase(config: ResolvedConfig): DatabaseConfig {
  if (!config.database) {
    throw new ConfigError(`No database configured${config.configPath ? ` in ${config.configPath}` : ''}: set \`url\` (or \`knex\`) in migrate.config.ts`);
  }
  return config.database;
}
