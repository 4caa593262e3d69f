import { isPlainStatement } from '../dialects/common.js';
import type { DirectConnection } from '../dialects/index.js';
import type { Statement } from '../operations/types.js';
import { executeStatement } from '../operations/statements.js';
import type { DatabaseSession } from './session.js';
import type { RunChannel } from './channel.js';
import { renderStatement } from './offline-channel.js';

/**
 * Sends every statement to the session's single connection. Plain statements (the
 * run's BEGIN/COMMIT, version and history rows, and most op statements) go straight to
 * the driver where the dialect allows (DirectConnection): a 10,000-step run sends
 * 30,000 of them, and knex's per-query machinery was most of the runner's cost. The
 * rest go through knex, on the same connection.
 */
export function createOnlineChannel(session: DatabaseSession): RunChannel {
  const { dialect, knex } = session;
  let direct: Promise<DirectConnection | undefined> | undefined;
  const directConnection = () => (direct ??= dialect.directConnection ? dialect.directConnection(knex) : Promise.resolve(undefined));

  const send = async (statement: Statement): Promise<number> => {
    const connection = await directConnection();
    if (connection && isPlainStatement(statement.sql, statement.bindings)) return connection.run(statement.sql, statement.bindings);
    return dialect.affectedRows(await executeStatement(knex, statement));
  };

  return {
    dialect,
    knex,
    isOffline: false,
    sendsTransactions: true,
    bind: knex,
    send,
    async sendTogether(statements) {
      const connection = await directConnection();
      if (connection?.runRendered && statements.length > 1 && statements.every((s) => isPlainStatement(s.sql, s.bindings))) {
        // Rendered with literals exactly as --sql prints them, and sent as one round trip.
        return connection.runRendered(statements.map((s) => renderStatement(knex, dialect, s)));
      }
      const matched: number[] = [];
      for (const statement of statements) matched.push(await send(statement));
      return matched;
    },
    async note() {},
    lock: (options) => dialect.acquireLock(knex, session.database, options),
    tableExists: (table, schema) => dialect.tableExists(knex, table, schema),
    readVersions: (read) => read(knex),
  };
}
