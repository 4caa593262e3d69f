/**
 * The one road from a run to the database. Everything a run sends — op statements,
 * BEGIN/COMMIT, version-row changes, history rows, CREATE TABLE of the bookkeeping
 * tables — goes through `send`: online it executes, offline (`--sql`) it prints. The
 * runner is the same code in both modes, so the SQL printed for a range is the SQL an
 * online run of that range executes. Only the reads differ (table exists? current
 * heads? lock), and offline they are answered from the range's start.
 */
import type { Knex } from 'knex';
import type { Dialect, LockOptions, MigrationLock, SessionQuery } from '../dialects/index.js';
import type { Statement } from '../operations/types.js';

export interface RunChannel {
  readonly dialect: Dialect;
  /** For building statements: online the session's connected instance; offline never connected. */
  readonly knex: Knex;
  readonly isOffline: boolean;
  /** Executes (online) or prints (offline). Resolves to the rows a DML statement changed online, undefined offline. */
  send(statement: Statement): Promise<number | undefined>;
  /**
   * Sends statements that belong together (a step's version and history rows). Online
   * they may wait to travel with the next statement sent (one round trip), so `check`
   * gets the rows each changed when they have run; an error it throws surfaces from
   * the send (or settle) that carried them. Offline each is printed and nothing is checked.
   * Undefined when they have run (or been printed) by the time it returns: a synchronous
   * driver leaves the caller nothing to wait for, 10,000 times in a long run.
   */
  sendTogether(statements: readonly Statement[], check?: (matched: readonly number[]) => void): Promise<void> | undefined;
  /** Sends and checks whatever waits: before a COMMIT, so a failed check still rolls back. */
  settle(): Promise<void>;
  /** Drops whatever waits: before a ROLLBACK. */
  discardDeferred(): void;
  /** Marks where a step starts: offline a `-- Running upgrade a -> b` comment; online nothing. */
  note(text: string): Promise<void>;
  /** Whether BEGIN/COMMIT are sent: offline only where the dialect has transactional DDL. */
  readonly sendsTransactions: boolean;
  lock(options: LockOptions): Promise<MigrationLock>;
  tableExists(table: string, schema: string | undefined): Promise<boolean>;
  /** The rows of the version table (online, in the database's order), or the range's start (offline). */
  readVersions(read: (query: SessionQuery) => Promise<string[]>): Promise<string[]>;
  /** The live connection, for op.getBind() and reads; offline it throws (the caller words the error). */
  readonly bind?: Knex;
}

export function statement(sql: string): Statement {
  return { sql, bindings: [] };
}
