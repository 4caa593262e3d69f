import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { loadKnex } from './knex.js';
import { DatabaseError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import { maskPasswords } from '../config/mask.js';
import { getDialect, type Dialect } from '../dialects/index.js';

/** One open connection to the database a command works on, with its dialect. */
export interface DatabaseSession {
  readonly dialect: Dialect;
  readonly database: DatabaseConfig;
  /** A knex instance over exactly one connection (see Dialect.sessionConfig). */
  readonly knex: Knex;
  close(): Promise<void>;
}

/**
 * Connects, and proves the connection works with a trivial query, so every
 * connection problem surfaces here as one DatabaseError line.
 */
export async function openSession(database: DatabaseConfig): Promise<DatabaseSession> {
  const dialect = await getDialect(database.dialect);
  assertDriverInstalled(dialect);
  const knex = loadKnex()({ ...dialect.sessionConfig(database), log: quietKnexLog });
  try {
    await knex.raw('SELECT 1');
  } catch (error) {
    await knex.destroy().catch(() => undefined);
    throw dialect.describeConnectError(error, database) ??
      new DatabaseError(`Cannot connect to ${database.displayUrl}: ${maskPasswords(errorMessage(error))}`, { cause: error });
  }
  return {
    dialect,
    database,
    knex,
    close: () => knex.destroy(),
  };
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

/** knex prints a stack trace of its own for a missing driver: check first, and say what to install. */
function assertDriverInstalled(dialect: Dialect): void {
  const knexRequire = createRequire(createRequire(import.meta.url).resolve('knex'));
  try {
    knexRequire.resolve(dialect.driverPackage);
  } catch {
    throw new DatabaseError(
      `The ${dialect.displayName} driver '${dialect.driverPackage}' is not installed: run npm install ${dialect.driverPackage}`,
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
