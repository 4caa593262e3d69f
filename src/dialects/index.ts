import type { DialectName } from '../config/types.js';
import type { Dialect } from './types.js';

export type { Dialect, DirectConnection, KnexSession, LockHolder, LockOptions, MigrationLock, BookkeepingTypes, OwnConnection, SessionQuery } from './types.js';

/**
 * The dialect of a database. Loaded on demand so a command that needs one
 * database never loads the others' code.
 */
export async function getDialect(name: DialectName): Promise<Dialect> {
  const loaders: Record<DialectName, () => Promise<Dialect>> = {
    sqlite: async () => (await import('./sqlite.js')).sqlite,
    postgresql: async () => (await import('./postgresql.js')).postgresql,
    mysql: async () => (await import('./mysql.js')).mysql,
  };
  return loaders[name]();
}
