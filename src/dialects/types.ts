import type { Knex } from 'knex';
import type { DatabaseConfig, DialectName } from '../config/types.js';

/** Column types the bookkeeping tables (version, history) need, spelled per database. */
export interface BookkeepingTypes {
  /** An auto-incrementing integer primary key column, name included. */
  readonly autoIdColumn: (name: string) => string;
  readonly text: string;
  readonly timestamp: string;
}

/** What a waiting runner learns about the lock's holder, if anything. */
export interface LockHolder {
  /** One line for humans: "pid 1234 (alembic-ts 5678) as postgres". */
  readonly description: string;
}

export interface LockOptions {
  /** Names the lock: one per version table and database. */
  readonly versionTable: string;
  readonly versionTableSchema?: string;
  /** How long to wait for another runner, in ms. */
  readonly timeoutMs: number;
  /** Called once when the lock is busy, before waiting. */
  readonly onWait: (holder: LockHolder | undefined) => void;
}

/** A held migration lock. release() is safe to call more than once. */
export interface MigrationLock {
  release(): Promise<void>;
}

/** Runs a read on the session's connection (knex `?` placeholders) and returns its rows. */
export type SessionQuery = (sql: string, bindings?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The session as a dialect sees it. Where the dialect opens the connection itself
 * (openConnection), the knex instance is made only when something asks for it.
 */
export interface KnexSession {
  /** knex over the session's one connection. */
  readonly knex: Knex;
  /** The instance if it has been made: knex's `query` listeners can only be on that one. */
  readonly madeKnex: Knex | undefined;
}

/**
 * The session's one connection, driven without knex's per-query machinery (pool
 * acquire, builder, promise chain): the runner sends tens of thousands of small
 * statements. Only statements `isPlainStatement` accepts come here; the rest go
 * through knex on the same connection.
 */
export interface DirectConnection {
  /** Runs one statement (knex `?` placeholders, plain bindings); the rows a DML statement changed, 0 otherwise. */
  run(sql: string, bindings: readonly unknown[]): Promise<number> | number;
  /** run(), where the driver is synchronous (better-sqlite3): done when it returns. */
  readonly runNow?: (sql: string, bindings: readonly unknown[]) => number;
  /** Runs a read (plain, as for run) and returns its rows. */
  query(sql: string, bindings: readonly unknown[]): Promise<Record<string, unknown>[]> | Record<string, unknown>[];
  /**
   * Runs several statements, already rendered with their literals and each terminated
   * with `;` (as --sql prints them), in one round trip; the rows each changed. Absent where the driver cannot (each is then run alone).
   */
  runRendered?(sqls: readonly string[]): Promise<number[]>;
}

/**
 * A connection the dialect opened with its driver, not through knex (see
 * Dialect.openConnection).
 */
export interface OwnConnection {
  readonly direct: DirectConnection;
  /** Points a knex instance made from sessionConfig at this connection: its pool then never opens or closes one of its own. */
  lend(knex: Knex): void;
  close(): void;
}

/**
 * Everything that differs between SQLite, PostgreSQL and MySQL. Nothing outside
 * src/dialects switches on the dialect name.
 */
export interface Dialect {
  readonly name: DialectName;
  /** For messages: "PostgreSQL". */
  readonly displayName: string;
  /** The npm package knex loads for this database. */
  readonly driverPackage: string;
  /** DDL inside a transaction can be rolled back. */
  readonly transactionalDdl: boolean;
  readonly beginStatement: string;
  readonly types: BookkeepingTypes;

  /**
   * The knex config of a migration session: exactly one connection, held for the
   * whole run (session-bound locks and the run's transaction live on it).
   */
  sessionConfig(database: DatabaseConfig): Knex.Config;
  /** Turns a driver's connection error into a one-line DatabaseError, or undefined if it is not one. */
  describeConnectError(error: unknown, database: DatabaseConfig): Error | undefined;
  quoteIdentifier(name: string): string;
  tableExists(query: SessionQuery, table: string, schema: string | undefined): Promise<boolean>;
  /**
   * SQL for the user running the statement, written into history rows; the same text
   * online and offline, so a file applied by hand records who applied it.
   */
  readonly currentUserSql: string;
  /** SQL for "now" as a `types.timestamp` value: offline history rows take the time they are applied. */
  readonly currentTimeSql: string;
  /** Rows a DML statement changed, from the driver's raw result. */
  affectedRows(result: unknown): number;
  /**
   * A binding as this database's driver sends it, for inlining as a literal offline
   * (better-sqlite3 sends a Date as epoch ms, a boolean as 0/1; pg a Date with its offset).
   */
  offlineBinding(value: unknown): unknown;
  /** A JS Date as this database's driver wants it bound into `types.timestamp`. */
  timestampValue(date: Date): unknown;
  /** A value read back from a `types.timestamp` column, as an ISO-8601 UTC string. */
  readTimestamp(value: unknown): string;
  /**
   * Opens the session's connection with the driver itself, so that a session whose
   * statements are all plain never loads knex (~20 ms): a run of `op.execute` steps, a
   * `current`. knex is made over the same connection when something needs it
   * (OwnConnection.lend). Undefined where the configuration asks for more than the
   * dialect knows how to open (knex then opens the connection).
   */
  openConnection?(database: DatabaseConfig, session: KnexSession): Promise<OwnConnection | undefined>;
  /**
   * The connection of a session that knex opened, for direct use (see
   * DirectConnection), or undefined where knex's own path is used for everything (MySQL).
   */
  directConnection?(session: KnexSession): Promise<DirectConnection | undefined>;
  /** Takes the migration lock on the session connection, waiting up to timeoutMs. */
  acquireLock(session: KnexSession, database: DatabaseConfig, options: LockOptions): Promise<MigrationLock>;
}
