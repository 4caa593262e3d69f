import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import { maskPasswords } from '../config/mask.js';
import { getDialect, type Dialect, type KnexSession, type OwnConnection, type SessionQuery } from '../dialects/index.js';
import { isPlainStatement, rowsOf } from '../dialects/common.js';
import { loadKnex } from './knex.js';

/** One open connection to the database a command works on, with its dialect. */
export interface DatabaseSession extends KnexSession {
  readonly dialect: Dialect;
  readonly database: DatabaseConfig;
  /**
   * The connection, where the dialect opened it with its driver (SQLite): plain
   * statements go to it, and knex is made over it only when something asks for
   * `knex` (op.knex, op.getBind(), a schema builder, a statement knex must rewrite).
   */
  readonly own?: OwnConnection;
  /** Reads on the session's connection (without knex where the dialect opened it). */
  readonly query: SessionQuery;
  close(): Promise<void>;
}

/**
 * Connects, and proves the connection works with a trivial query, so every
 * connection problem surfaces here as one DatabaseError line.
 */
export async function openSession(database: DatabaseConfig): Promise<DatabaseSession> {
  const dialect = await getDialect(database.dialect);
  assertDriverInstalled(dialect);
  const session = new Session(dialect, database);
  try {
    await session.connect();
  } catch (error) {
    await session.close().catch(() => undefined);
    throw dialect.describeConnectError(error, database) ??
      new DatabaseError(`Cannot connect to ${database.displayUrl}: ${maskPasswords(errorMessage(error))}`, { cause: error });
  }
  return session;
}

class Session implements DatabaseSession {
  own?: OwnConnection;
  private made?: Knex;

  constructor(
    readonly dialect: Dialect,
    readonly database: DatabaseConfig,
  ) {}

  get knex(): Knex {
    if (!this.made) {
      const knex = loadKnex()({ ...this.dialect.sessionConfig(this.database), log: quietKnexLog });
      this.own?.lend(knex);
      this.made = knex;
    }
    return this.made;
  }

  get madeKnex(): Knex | undefined {
    return this.made;
  }

  readonly query: SessionQuery = async (sql, bindings = []) => {
    if (this.own && isPlainStatement(sql, bindings)) return this.own.direct.query(sql, bindings);
    return rowsOf(await this.knex.raw(sql, bindings as Knex.RawBinding[]));
  };

  async connect(): Promise<void> {
    this.own = await this.dialect.openConnection?.(this.database, this);
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    try {
      await this.made?.destroy();
    } finally {
      this.own?.close();
    }
  }
}

/** knex would print connection failures with a stack trace: we report them as one line instead. */
const quietKnexLog = {
  warn(message: unknown) {
    if (!String(message).startsWith('Acquire connection error')) console.warn(message);
  },
  error(message: unknown) {
    console.error(message);
  },
  deprecate(method: unknown, alternative: unknown) {
    console.warn(`knex: ${String(method)} is deprecated, use ${String(alternative)}`);
  },
  debug() {},
};

/**
 * knex prints a stack trace of its own for a missing driver: check first, and say what to
 * install. Resolved from this package, where the SQLite dialect and the bundled knex
 * (dist/vendor/knex.cjs) require it from.
 */
function assertDriverInstalled(dialect: Dialect): void {
  try {
    createRequire(import.meta.url).resolve(dialect.driverPackage);
  } catch {
    throw new DatabaseError(
      `The ${dialect.displayName} driver '${dialect.driverPackage}' is not installed: run npm install ${dialect.driverPackage}`,
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
