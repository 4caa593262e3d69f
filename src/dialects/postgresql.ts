import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import { borrowConnection, describeUnreachable, errorCode, lockKey, lockName, queryFailure, reportQuery, waitForLock } from './common.js';
import type { Dialect, DirectConnection, KnexSession, LockHolder, LockOptions, MigrationLock } from './types.js';

/** First key of our two-key advisory locks ('migr'), so they do not collide with an app's own. */
const LOCK_CLASS = 0x6d696772;

/** Seen in pg_stat_activity, so a waiting runner can say who holds the lock. */
export function applicationName(): string {
  return `alembic-ts ${process.pid}`;
}

export const postgresql: Dialect = {
  name: 'postgresql',
  displayName: 'PostgreSQL',
  driverPackage: 'pg',
  transactionalDdl: true,
  beginStatement: 'BEGIN',
  types: {
    autoIdColumn: (name) => `${quote(name)} BIGSERIAL PRIMARY KEY`,
    text: 'TEXT',
    timestamp: 'TIMESTAMPTZ',
  },

  sessionConfig(database: DatabaseConfig): Knex.Config {
    const connection = database.knex.connection;
    const named =
      typeof connection === 'string'
        ? { connectionString: connection, application_name: applicationName(), connectionTimeoutMillis: 15_000 }
        : connection && typeof connection === 'object'
          ? { application_name: applicationName(), connectionTimeoutMillis: 15_000, ...connection }
          : connection;
    return { ...database.knex, connection: named as Knex.Config['connection'], pool: singleConnectionPool };
  },

  describeConnectError(error, database) {
    const unreachable = describeUnreachable(error, 'PostgreSQL', database);
    if (unreachable) return unreachable;
    const message = error instanceof Error ? error.message : String(error);
    switch (errorCode(error)) {
      case '28P01':
        return new DatabaseError(`PostgreSQL refused the password for ${database.displayUrl} (${message}): check the user and password in the URL`, { cause: error });
      case '28000':
        return new DatabaseError(`PostgreSQL refused the connection to ${database.displayUrl} (${message}): check the user in the URL and pg_hba.conf`, { cause: error });
      case '3D000':
        return new DatabaseError(`PostgreSQL says ${message} (${database.displayUrl}): create it first, or fix the database name in the URL`, { cause: error });
      default:
        return undefined;
    }
  },

  quoteIdentifier: quote,

  async tableExists(query, table, schema) {
    const rows = await query(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, current_schema()) AND table_name = ?',
      [schema ?? null, table],
    );
    return rows.length > 0;
  },

  currentUserSql: 'current_user',
  // clock_timestamp(), not now(): now() is the transaction's start, the same for every step of a run.
  currentTimeSql: 'clock_timestamp()',
  affectedRows: (result) => Number((result as { rowCount?: number | null }).rowCount ?? 0),
  offlineBinding: (value) => (value instanceof Date ? localIsoWithOffset(value) : value),

  timestampValue: (date) => date,
  readTimestamp: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),

  async directConnection(session) {
    return directPostgres(session, await borrowConnection<PgClient>(session.knex));
  },

  async acquireLock({ knex }, _database, options: LockOptions): Promise<MigrationLock> {
    const key = lockKey(lockName(options));
    const tryLock = async () => {
      const result = await knex.raw('SELECT pg_try_advisory_lock(?, ?) AS locked', [LOCK_CLASS, key]);
      return Boolean((result as { rows: { locked: boolean }[] }).rows[0]?.locked);
    };
    await waitForLock(tryLock, () => describeHolder(knex, key), options);
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        await knex.raw('SELECT pg_advisory_unlock(?, ?)', [LOCK_CLASS, key]);
      },
    };
  },
};

interface PgResult {
  rowCount: number | null;
  rows?: Record<string, unknown>[];
}
interface PgClient {
  // Text (and values) rather than a config object, which pg copies on every call.
  query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]>;
}

/**
 * The pg client under knex, used as knex uses it ({ text, values } with `$n`
 * placeholders), minus the pool and builder round trip. Rendered statements go
 * together as one simple-protocol query: one round trip for a step's version and
 * history rows.
 */
function directPostgres(session: KnexSession, connection: PgClient): DirectConnection {
  /** Sends one statement (pg's `$n` placeholders), reports it, and gives its last result. */
  const execute = async (sql: string, bindings: readonly unknown[]): Promise<PgResult | undefined> => {
    const text = bindings.length > 0 ? numberPlaceholders(sql) : sql;
    reportQuery(session, text, bindings);
    try {
      const result = await connection.query(text, bindings.length > 0 ? (bindings as unknown[]) : undefined);
      return Array.isArray(result) ? result[result.length - 1] : result;
    } catch (error) {
      throw queryFailure(session, sql, bindings, error);
    }
  };
  return {
    query: async (sql, bindings) => (await execute(sql, bindings))?.rows ?? [],
    run: async (sql, bindings) => rowCountOf(await execute(sql, bindings)),
    async runRendered(sqls) {
      for (const sql of sqls) reportQuery(session, sql, []);
      const text = sqls.join('');
      try {
        const result = await connection.query(text);
        return Array.isArray(result) ? result.map(rowCountOf) : [rowCountOf(result)];
      } catch (error) {
        throw queryFailure(session, text, [], error);
      }
    },
  };
}

const rowCountOf = (result: PgResult | undefined) => Number(result?.rowCount ?? 0);

/** knex's placeholders as pg's: the n-th `?` becomes `$n` (callers exclude `\\?` escapes). */
function numberPlaceholders(sql: string): string {
  let count = 0;
  return sql.replace(/\?/g, () => `$${++count}`);
}

const singleConnectionPool = { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 };

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function describeHolder(session: Knex, key: number): Promise<LockHolder | undefined> {
  const result = await session.raw(
    `SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS client
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2`,
    [LOCK_CLASS, key],
  );
  const row = (result as { rows: { pid: number; application_name: string; usename: string; client: string | null }[] }).rows[0];
  if (!row) return undefined;
  const app = row.application_name ? ` (${row.application_name})` : '';
  const from = row.client ? ` from ${row.client}` : '';
  return { description: `PostgreSQL backend pid ${row.pid}${app}, user ${row.usename}${from}` };
}

/** What the pg driver sends for a Date: local wall-clock time with its UTC offset. */
function localIsoWithOffset(date: Date): string {
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:` +
    `${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}
