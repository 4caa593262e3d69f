import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import { borrowConnection, errorCode, queryFailure, reportQuery, waitForLock } from './common.js';
import type { Dialect, DirectConnection, KnexSession, LockOptions, MigrationLock, OwnConnection } from './types.js';

interface PreparedStatement {
  readonly reader: boolean;
  run(bindings: readonly unknown[]): { changes: number };
  all(bindings: readonly unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): PreparedStatement;
}

interface SqliteDatabase extends SqliteConnection {
  exec(sql: string): unknown;
  close(): unknown;
}
type SqliteConstructor = new (file: string, options: { timeout?: number; readonly?: boolean; nativeBinding?: unknown }) => SqliteDatabase;

/** knex's client methods that open and close its connections (what lend() replaces). */
interface ConnectionMaker {
  acquireRawConnection(): Promise<unknown>;
  destroyRawConnection(connection: unknown): Promise<void>;
}

/**
 * SQLite through better-sqlite3: DDL is transactional, so a whole run is one
 * transaction. The migration lock is a write transaction on a small side file
 * (`<db>.migrate-lock`) held for the whole run: it survives the commits of
 * transactionPerMigration, and the OS drops it when a runner dies.
 */
export const sqlite: Dialect = {
  name: 'sqlite',
  displayName: 'SQLite',
  driverPackage: 'better-sqlite3',
  transactionalDdl: true,
  // IMMEDIATE: take the write lock now, not at the first write, so no reader upgrade deadlock.
  beginStatement: 'BEGIN IMMEDIATE',
  types: {
    autoIdColumn: (name) => `${quote(name)} INTEGER PRIMARY KEY AUTOINCREMENT`,
    text: 'TEXT',
    timestamp: 'TEXT',
  },

  sessionConfig(database: DatabaseConfig): Knex.Config {
    return { useNullAsDefault: true, ...database.knex, pool: { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 } };
  },

  describeConnectError(error, database) {
    const message = error instanceof Error ? error.message : String(error);
    if (errorCode(error) === 'SQLITE_CANTOPEN' || /directory does not exist|unable to open database/i.test(message)) {
      return new DatabaseError(`Cannot open the SQLite database ${database.displayUrl} (${message}): check that its folder exists and is writable`, { cause: error });
    }
    if (errorCode(error) === 'SQLITE_NOTADB') {
      return new DatabaseError(`${database.displayUrl} is not an SQLite database (${message}): fix the path in the URL`, { cause: error });
    }
    return undefined;
  },

  quoteIdentifier: quote,

  async tableExists(query, table) {
    const rows = await query("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    return rows.length > 0;
  },

  // SQLite has no users: the OS account that produced the statement (see currentUser).
  get currentUserSql() {
    return `'${osUser().replace(/'/g, "''")}'`;
  },
  currentTimeSql: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  affectedRows: (result) => Number((result as { changes?: number }).changes ?? 0),
  offlineBinding: (value) => (value instanceof Date ? value.valueOf() : typeof value === 'boolean' ? Number(value) : value),

  timestampValue: (date) => date.toISOString(),
  readTimestamp: (value) => new Date(String(value)).toISOString(),

  async openConnection(database, session): Promise<OwnConnection | undefined> {
    const settings = ownConnectionSettings(database);
    if (!settings) return undefined;
    const Database = betterSqlite3();
    // As knex's better-sqlite3 client opens it (Client_BetterSQLite3.acquireRawConnection).
    const db = new Database(settings.filename, { nativeBinding: settings.options.nativeBinding, readonly: Boolean(settings.options.readonly) });
    return {
      direct: directSqlite(session, db),
      lend(knex) {
        const client = knex.client as unknown as ConnectionMaker;
        client.acquireRawConnection = async () => db;
        client.destroyRawConnection = async () => undefined;
      },
      close: () => void db.close(),
    };
  },

  async directConnection(session) {
    return directSqlite(session, await borrowConnection<SqliteConnection>(session.knex));
  },

  async acquireLock(_session, database, options: LockOptions): Promise<MigrationLock> {
    const file = databaseFile(database);
    // An in-memory database belongs to this process alone.
    if (!file) return { release: async () => undefined };
    const Database = betterSqlite3();
    const lockFile = `${file}.migrate-lock`;
    const connection = new Database(lockFile, { timeout: 0 });
    const tryLock = async () => {
      try {
        connection.exec('BEGIN IMMEDIATE');
        return true;
      } catch (error) {
        if (errorCode(error) === 'SQLITE_BUSY') return false;
        throw error;
      }
    };
    try {
      await waitForLock(tryLock, async () => ({ description: `another runner (lock file ${lockFile})` }), options);
    } catch (error) {
      connection.close();
      throw error;
    }
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        connection.exec('ROLLBACK');
        connection.close();
      },
    };
  },
};

/** Statements with bindings are the run's own, repeated every step: prepared once. */
const PREPARED_CACHE_LIMIT = 64;

/**
 * better-sqlite3 is synchronous: a statement runs to completion inside run(), as knex's
 * client runs it (same prepare, same binding conversions), minus the promise chain.
 */
function directSqlite(session: KnexSession, connection: SqliteConnection): DirectConnection {
  const prepared = new Map<string, PreparedStatement>();
  const prepare = (sql: string, cache: boolean) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (cache && prepared.size < PREPARED_CACHE_LIMIT) prepared.set(sql, statement);
    }
    return statement;
  };
  /** Prepares (cached when it has bindings), converts the bindings as knex does, and reports the statement. */
  const execute = <T>(sql: string, bindings: readonly unknown[], use: (statement: PreparedStatement, values: readonly unknown[]) => T): T => {
    reportQuery(session, sql, bindings);
    try {
      // DDL and one-off statements are unique: caching them would only hold memory.
      const statement = prepare(sql, bindings.length > 0);
      return use(statement, bindings.length > 0 ? bindings.map(driverValue) : bindings);
    } catch (error) {
      throw queryFailure(session, sql, bindings, error);
    }
  };
  const run = (sql: string, bindings: readonly unknown[]): number => execute(sql, bindings, changesOf);
  return {
    run,
    runNow: run,
    query: (sql, bindings) => execute(sql, bindings, rowsOfStatement),
  };
}

/** What run() returns: the rows a statement changed (0 for a read). Not a closure per call: run() is the hot path. */
function changesOf(statement: PreparedStatement, values: readonly unknown[]): number {
  if (!statement.reader) return statement.run(values).changes;
  statement.all(values);
  return 0;
}

/** What query() returns: the rows a read gives ([] for a write). */
function rowsOfStatement(statement: PreparedStatement, values: readonly unknown[]): Record<string, unknown>[] {
  if (statement.reader) return statement.all(values) as Record<string, unknown>[];
  statement.run(values);
  return [];
}

/**
 * The file and driver options of a better-sqlite3 connection, when the config is one
 * this dialect opens as knex would: client better-sqlite3, a connection given as a
 * filename or `{ filename, options? }`. Anything else is left to knex.
 */
function ownConnectionSettings(database: DatabaseConfig): { filename: string; options: { readonly?: unknown; nativeBinding?: unknown } } | undefined {
  if (database.knex.client !== 'better-sqlite3') return undefined;
  const connection = database.knex.connection as unknown;
  if (typeof connection === 'string') return { filename: connection, options: {} };
  if (typeof connection !== 'object' || connection === null) return undefined;
  const { filename, options, ...rest } = connection as { filename?: unknown; options?: unknown };
  if (typeof filename !== 'string' || Object.keys(rest).length > 0) return undefined;
  if (options !== undefined && (typeof options !== 'object' || options === null)) return undefined;
  return { filename, options: (options ?? {}) as { readonly?: unknown; nativeBinding?: unknown } };
}

/** The driver, from this package (where the bundled knex requires it too). */
function betterSqlite3(): SqliteConstructor {
  return createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
}

/** As knex's better-sqlite3 client converts bindings. */
function driverValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

function databaseFile(database: DatabaseConfig): string | undefined {
  const connection = database.knex.connection as { filename?: string } | string | undefined;
  const file = typeof connection === 'string' ? connection : connection?.filename;
  return !file || file === ':memory:' || file.startsWith('file::memory:') ? undefined : file;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

let cachedOsUser: string | undefined;

/** Asked once per statement of a run: the lookup (getpwuid) is cached. */
function osUser(): string {
  if (cachedOsUser === undefined) {
    try {
      cachedOsUser = userInfo().username;
    } catch {
      cachedOsUser = process.env.USER ?? 'unknown';
    }
  }
  return cachedOsUser;
}
