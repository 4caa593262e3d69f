import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import { describeUnreachable, errorCode, lockName, waitForLock } from './common.js';
import type { Dialect, LockHolder, LockOptions, MigrationLock } from './types.js';

/**
 * MySQL and MariaDB through mysql2. DDL commits implicitly, so the runtime writes the
 * version row right after each migration instead of at the end of a run.
 */
export const mysql: Dialect = {
  name: 'mysql',
  displayName: 'MySQL',
  driverPackage: 'mysql2',
  transactionalDdl: false,
  beginStatement: 'START TRANSACTION',
  types: {
    autoIdColumn: (name) => `${quote(name)} BIGINT AUTO_INCREMENT PRIMARY KEY`,
    text: 'TEXT',
    timestamp: 'DATETIME(3)',
  },

  sessionConfig(database: DatabaseConfig): Knex.Config {
    return { ...database.knex, pool: { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 } };
  },

  describeConnectError(error, database) {
    const unreachable = describeUnreachable(error, 'MySQL', database);
    if (unreachable) return unreachable;
    const message = error instanceof Error ? error.message : String(error);
    switch (errorCode(error)) {
      case 'ER_ACCESS_DENIED_ERROR':
      case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
        return new DatabaseError(`MySQL refused ${database.displayUrl} (${message}): check the user and password in the URL`, { cause: error });
      case 'ER_DBACCESS_DENIED_ERROR':
        return new DatabaseError(`MySQL refused ${database.displayUrl} (${message}): grant the user access to the database, or fix the URL`, { cause: error });
      case 'ER_BAD_DB_ERROR':
        return new DatabaseError(`MySQL says ${message} (${database.displayUrl}): create it first, or fix the database name in the URL`, { cause: error });
      default:
        return undefined;
    }
  },

  quoteIdentifier: quote,

  async tableExists(query, table, schema) {
    const rows = await query(
      'SELECT 1 AS found FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
      [schema ?? null, table],
    );
    return rows.length > 0;
  },

  currentUserSql: 'CURRENT_USER()',
  currentTimeSql: 'UTC_TIMESTAMP(3)',
  affectedRows(result) {
    const header = Array.isArray(result) ? result[0] : result;
    return Number((header as { affectedRows?: number }).affectedRows ?? 0);
  },
  // knex renders a Date as mysql2 sends it (local wall-clock time), and booleans as true/false.
  offlineBinding: (value) => value,

  // DATETIME has no zone: we store UTC wall-clock time.
  timestampValue: (date) => date.toISOString().replace('T', ' ').replace('Z', ''),
  readTimestamp(value) {
    if (value instanceof Date) {
      // mysql2 read our UTC wall-clock time as local time: take its fields back as UTC.
      return new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate(), value.getHours(),
        value.getMinutes(), value.getSeconds(), value.getMilliseconds())).toISOString();
    }
    return new Date(String(value).replace(' ', 'T') + 'Z').toISOString();
  },

  async acquireLock({ knex: session }, _database, options: LockOptions): Promise<MigrationLock> {
    // GET_LOCK names are server-wide and at most 64 characters: hash database + table.
    const nameSql = "CONCAT('migrate:', SHA1(CONCAT(DATABASE(), ':', ?)))";
    const name = lockName(options);
    const tryLock = async () => {
      const [rows] = (await session.raw(`SELECT GET_LOCK(${nameSql}, 0) AS locked`, [name])) as [{ locked: number | null }[]];
      return Number(rows[0]?.locked) === 1;
    };
    const describeHolder = async (): Promise<LockHolder | undefined> => {
      const [rows] = (await session.raw(
        `SELECT p.ID AS id, p.USER AS user, p.HOST AS host FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(${nameSql})`,
        [name],
      )) as [{ id: number; user: string; host: string }[]];
      const row = rows[0];
      return row ? { description: `MySQL connection ${row.id} (${row.user}@${row.host})` } : undefined;
    };
    await waitForLock(tryLock, describeHolder, options);
    let held = true;
    return {
      async release() {
        if (!held) return;
        held = false;
        await session.raw(`SELECT RELEASE_LOCK(${nameSql})`, [name]);
      },
    };
  },
};

function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}
