import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MigrateError, MigrationError } from '../errors.js';
import type { MigrationStep, Plan, Step, VersionChange } from '../graph/types.js';
import type { Script, RevisionModule } from '../script/types.js';
import type { OperationContext, Operations } from '../operations/types.js';
import { operationError } from '../operations/helpers.js';
import type { RunChannel } from './channel.js';
import { ensureBookkeepingTables } from './bookkeeping.js';
import { VersionTableMismatch, type VersionTable } from './version-table.js';
import type { HistoryTable } from './history-table.js';
import { TransactionControl } from './transaction.js';
import { describeStepLine, formatDuration } from './progress.js';
import { ModuleBatches } from './module-batches.js';
import { HistoryBuffer } from './history-buffer.js';

export interface RunRequest<T extends Script = Script> {
  /** Where everything the run sends goes: executed online, printed offline (see RunChannel). */
  readonly channel: RunChannel;
  readonly versionTable: VersionTable;
  readonly historyTable?: HistoryTable;
  /** Plans from the heads read under the lock, so a runner that waited sees the work done. */
  plan(currentHeads: readonly string[]): Plan<T>;
  loadModule(script: T): Promise<RevisionModule>;
  /**
   * Imports the modules of many revisions at once (one compiled batch instead of one
   * import each); called with chunks of the plan's revisions ahead of their steps (see
   * ModuleBatches), so loadModule per step is then a cache hit. Optional: without it
   * each step imports its own.
   */
  loadModules?(scripts: readonly T[]): Promise<readonly RevisionModule[] | void>;
  /** sha256 of a revision's file: by the script for a step that ran it, by id for a stamp; undefined if unknown. */
  checksumOf(revision: T | string): string | undefined;
  createOperations(context: OperationContext): Operations;
  readonly transactionPerMigration: boolean;
  readonly lockTimeout: number;
  readonly xArgs: Readonly<Record<string, string>>;
  readonly tag?: string;
  /** Progress lines; without it none is made. */
  readonly log?: (line: string) => void;
}

export interface StepReport {
  readonly kind: Step['kind'];
  /** The revision whose script ran (absent for stamps). */
  readonly revision?: string;
  readonly fromRevisions: readonly string[];
  readonly toRevisions: readonly string[];
  readonly message?: string;
  readonly durationMs: number;
}

export interface RunResult {
  /** The version rows found under the lock, before the run. */
  readonly startHeads: readonly string[];
  readonly steps: readonly StepReport[];
  /** The version rows after the run. */
  readonly heads: readonly string[];
}

/**
 * Executes a plan: takes the migration lock, reads the heads, plans, and runs each
 * step with its version-row changes and history row in the step's transaction.
 * The same code prints a plan offline: the channel decides (see RunChannel).
 *
 * Transactions: with transactional DDL (PostgreSQL, SQLite) the whole run is one
 * transaction, or one per step with transactionPerMigration. Without (MySQL) every
 * step gets its own, and the version row is written right after the script.
 * Non-transactional revisions and autocommit blocks run between transactions.
 */
export async function runPlan<T extends Script>(request: RunRequest<T>): Promise<RunResult> {
  const { channel, versionTable, historyTable } = request;
  const { dialect } = channel;
  const lock = await channel.lock({
    versionTable: versionTable.name,
    versionTableSchema: versionTable.schema,
    timeoutMs: request.lockTimeout,
    onWait: (holder) => request.log?.(`Waiting for the migration lock held by ${holder?.description ?? 'another runner'}...`),
  });
  const history = new HistoryBuffer(channel, historyTable);
  const transaction = new TransactionControl(channel, { beforeCommit: () => history.flush(), onRollback: () => history.discard() });
  const wholeRun = dialect.transactionalDdl && !request.transactionPerMigration;
  let modules: ModuleBatches<T> | undefined;
  let heads: string[] = [];
  let committedHeads: string[] = [];
  const commit = async () => {
    await transaction.commit();
    committedHeads = [...heads];
  };
  try {
    if (wholeRun) await transaction.begin();
    await ensureBookkeepingTables(channel, versionTable, historyTable);
    heads = await channel.readVersions((bind) => versionTable.read(bind));
    committedHeads = [...heads];
    const startHeads = [...heads];
    const plan = request.plan(heads);
    const reports: StepReport[] = [];
    const batches = new ModuleBatches(plan, (revisions) => request.loadModules?.(revisions) ?? Promise.resolve());
    modules = batches;
    const scripts = scriptRunner(request, transaction, batches);

    for (let at = 0; at < plan.steps.length; at++) {
      const step = plan.steps[at]!;
      const inTransaction = step.kind === 'stamp' || step.revision.transactional;
      if (!inTransaction) await commit();
      else if (!transaction.isOpen) await transaction.begin();
      if (channel.isOffline) {
        await channel.note(describeStepLine(step.kind === 'stamp' ? 'stamp_revision' : step.kind, step.fromRevisions, step.toRevisions));
      }
      const startedAt = Date.now();
      const started = performance.now();
      if (step.kind !== 'stamp') {
        try {
          await scripts.run(step, at);
        } catch (error) {
          await transaction.rollback();
          if (error instanceof VersionTableMismatch) throw error;
          throw channel.isOffline ? offlineFailure(step, error) : migrationFailure(step, error, committedHeads, dialect.transactionalDdl);
        }
      }
      const durationMs = performance.now() - started;
      // Version and history rows are written together: a fresh transaction where the
      // script's own work was committed (MySQL DDL, non-transactional revisions).
      if (!dialect.transactionalDdl || !inTransaction) {
        await commit();
        await transaction.begin();
      }
      const report = reportOf(step, durationMs);
      const versionRows = versionTable.applyStep(channel, step.versionChanges);
      if (versionRows) await versionRows;
      const historyFull = history.add({
        operation: step.kind,
        revision: report.revision,
        fromRevisions: step.fromRevisions,
        toRevisions: step.toRevisions,
        message: report.message,
        checksum: request.checksumOf(step.kind === 'stamp' ? (step.toRevisions.length === 1 ? step.toRevisions[0]! : '') : step.revision),
        // Offline the row takes the time the file is applied, and nothing ran here to time.
        startedAt: channel.isOffline ? undefined : new Date(startedAt),
        durationMs: channel.isOffline ? 0 : durationMs,
      });
      if (historyFull) await history.flush();
      heads = applyChanges(heads, step.versionChanges);
      if (!wholeRun) await commit();
      reports.push(report);
      if (request.log) {
        request.log(`${describeStepLine(step.kind === 'stamp' ? 'stamp' : step.kind, step.fromRevisions, step.toRevisions, report.message)} (${formatDuration(durationMs)})`);
      }
    }
    await commit();
    return { startHeads, steps: reports, heads: [...heads].sort() };
  } catch (error) {
    await transaction.rollback();
    throw error;
  } finally {
    modules?.stop();
    await lock.release().catch(() => undefined);
  }
}

/** What a step's script needs: its module's function, and one op object shared by every step of the run. */
interface ScriptRunner<T extends Script> {
  /** `at`: the step's position in the plan. */
  run(step: MigrationStep<T>, at: number): Promise<void> | void;
}

/**
 * One OperationContext and one op object for the whole run (they were the only
 * per-step allocations of any size); the context names the step's revision.
 */
function scriptRunner<T extends Script>(request: RunRequest<T>, transaction: TransactionControl, modules: ModuleBatches<T>): ScriptRunner<T> {
  const { channel } = request;
  const context: { -readonly [K in keyof OperationContext]: OperationContext[K] } = {
    dialect: channel.dialect.name,
    // Read when an op needs it: a run of plain statements may never make knex (see DatabaseSession.own).
    get knex() {
      return channel.knex;
    },
    sink: { run: (statement) => channel.send(statement) },
    isOffline: channel.isOffline,
    xArgs: request.xArgs,
    tag: request.tag,
    getBind: () => {
      if (channel.bind) return channel.bind;
      throw operationError(context, 'getBind()',
        'offline mode (--sql) has no database connection to read from or run on; send the SQL through op.execute(), ' +
          'branch on op.isOffline to skip reads, or run without --sql');
    },
    autocommitBlock: (block) => transaction.outside(block),
    revision: undefined,
  };
  let operations: Operations | undefined;
  const invoke = (step: MigrationStep<T>, module: RevisionModule): Promise<void> | void => {
    const fn = module[step.kind];
    if (typeof fn !== 'function') {
      throw new MigrateError(`it does not export a function ${step.kind}()`);
    }
    context.revision = step.revision.id;
    operations ??= request.createOperations(context);
    return fn.call(module, operations);
  };
  return {
    run(step, at) {
      // Most steps find their chunk loaded: no promise of ours to wait for.
      const module = modules.loaded(at);
      if (module) return invoke(step, module);
      return modules.ready(at).then(async () => invoke(step, await request.loadModule(step.revision)));
    },
  };
}

function migrationFailure(step: MigrationStep<Script>, error: unknown, leftAt: readonly string[], transactionalDdl: boolean): MigrationError {
  const file = displayPath(step.revision.path);
  const cause = error instanceof Error ? error.message : String(error);
  const state = leftAt.length > 0 ? leftAt.join(', ') : 'base';
  const partial = transactionalDdl ? '' : ' (DDL it ran before the error is not rolled back: check the schema)';
  return new MigrationError(
    `${step.kind} of ${step.revision.id} (${file}) failed: ${cause.split('\n')[0]}; the database is at ${state}${partial}`,
    step.revision.id,
    step.revision.path,
    { cause: error },
  );
}

/** Offline nothing ran: name the revision and its file, not a database state. */
function offlineFailure(step: MigrationStep<Script>, error: unknown): MigrateError {
  if (error instanceof MigrateError) return error;
  const cause = error instanceof Error ? error.message : String(error);
  return new MigrationError(
    `${step.kind} of ${step.revision.id} (${displayPath(step.revision.path)}) failed in offline mode: ${cause.split('\n')[0]}`,
    step.revision.id,
    step.revision.path,
    { cause: error },
  );
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Written out rather than spread from a common part: a spread costs a few µs a step in code V8 has not optimised yet. */
function reportOf(step: Step<Script>, durationMs: number): StepReport {
  const { kind, fromRevisions, toRevisions } = step;
  if (step.kind === 'stamp') return { kind, fromRevisions, toRevisions, durationMs };
  return { kind, fromRevisions, toRevisions, durationMs, revision: step.revision.id, message: step.revision.message || undefined };
}

function applyChanges(heads: readonly string[], changes: readonly VersionChange[]): string[] {
  // Most steps move the one head of a line on.
  if (heads.length === 1 && changes.length === 1 && changes[0]!.kind === 'update' && changes[0]!.from === heads[0]) return [changes[0]!.to];
  const next = new Set(heads);
  for (const change of changes) {
    if (change.kind === 'insert') next.add(change.version);
    else if (change.kind === 'delete') next.delete(change.version);
    else {
      next.delete(change.from);
      next.add(change.to);
    }
  }
  return [...next];
}
