import { executeStatement } from '../operations/statements.js';
import type { DatabaseSession } from './session.js';
import type { RunChannel } from './channel.js';

/** Sends every statement to the session's single connection. */
export function createOnlineChannel(session: DatabaseSession): RunChannel {
  const { dialect, knex } = session;
  return {
    dialect,
    knex,
    isOffline: false,
    sendsTransactions: true,
    bind: knex,
    async send(statement) {
      return dialect.affectedRows(await executeStatement(knex, statement));
    },
    async note() {},
    lock: (options) => dialect.acquireLock(knex, session.database, options),
    tableExists: (table, schema) => dialect.tableExists(knex, table, schema),
    readVersions: (read) => read(knex),
  };
}
