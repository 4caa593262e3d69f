import type { Knex } from 'knex';
import { isPlainStatement } from '../dialects/common.js';
import type { DirectConnection } from '../dialects/index.js';
import type { Statement } from '../operations/types.js';
import { executeStatement } from '../operations/statements.js';
import type { DatabaseSession } from './session.js';
import type { RunChannel } from './channel.js';
import { renderStatement } from './offline-channel.js';

/** Statements held back to travel with the next one, and the checks of their results. */
interface Deferred {
  readonly sqls: string[];
  readonly checks: { readonly from: number; readonly count: number; readonly check: (matched: readonly number[]) => void }[];
}

/**
 * Sends every statement to the session's single connection. Plain statements (the
 * run's BEGIN/COMMIT, version and history rows, and most op statements) go straight to
 * the driver where the dialect allows (DirectConnection): a 10,000-step run sends
 * 30,000 of them, and knex's per-query machinery was most of the runner's cost. The
 * rest go through knex, on the same connection.
 *
 * Where the driver can send several statements at once (PostgreSQL), a step's version
 * and history rows wait for the next statement (the next step's first one) and go in
 * its round trip: one round trip per step instead of two. They stay in the step's
 * transaction and in order; they are sent and checked before a COMMIT (settle), and
 * before anything that reads (every knex query on the session flushes them first, see
 * flushBeforeKnex); a ROLLBACK drops them.
 */
export function createOnlineChannel(session: DatabaseSession): RunChannel {
  const { dialect } = session;
  /** The direct connection once known: a statement then waits for nothing before it is sent. */
  let connected: DirectConnection | undefined = session.own?.direct;
  let direct: Promise<DirectConnection | undefined> | undefined = connected && Promise.resolve(connected);
  const directConnection = () =>
    (direct ??= (dialect.directConnection ? dialect.directConnection(session) : Promise.resolve(undefined)).then((connection) => (connected = connection)));
  let deferred: Deferred | undefined;
  let flushesBeforeKnex = false;

  /** Sends what waits, with `next` (rendered) after it; the rows `next` changed. */
  const flush = async (connection: DirectConnection, next?: string): Promise<number> => {
    const waiting = deferred;
    deferred = undefined;
    if (!waiting) return 0;
    const sqls = next === undefined ? waiting.sqls : [...waiting.sqls, next];
    const matched = await connection.runRendered!(sqls);
    for (const { from, count, check } of waiting.checks) check(matched.slice(from, from + count));
    return matched[waiting.sqls.length] ?? 0;
  };

  const sendAsync = async (statement: Statement): Promise<number> => {
    const connection = connected ?? (await directConnection());
    if (connection && isPlainStatement(statement.sql, statement.bindings)) {
      // Text without bindings is sent as written, so it can join the waiting statements
      // (with bindings it could not: literals would change how the database types them).
      if (deferred && statement.bindings.length === 0) return flush(connection, renderStatement(session.knex, dialect, statement));
      if (deferred) await flush(connection);
      return connection.run(statement.sql, statement.bindings);
    }
    return dialect.affectedRows(await executeStatement(session.knex, statement));
  };

  /** A driver that runs statements synchronously (better-sqlite3) takes the common case without an async function of ours. */
  const send = (statement: Statement): Promise<number> => {
    if (connected?.runNow && !deferred && isPlainStatement(statement.sql, statement.bindings)) {
      try {
        return Promise.resolve(connected.runNow(statement.sql, statement.bindings));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return sendAsync(statement);
  };

  /** sendTogether where the statements may wait for the next one (PostgreSQL), or where the driver answers later. */
  const sendTogetherLater = async (statements: readonly Statement[], check?: (matched: readonly number[]) => void): Promise<void> => {
    const connection = connected ?? (await directConnection());
    if (connection?.runRendered && statements.every((s) => isPlainStatement(s.sql, s.bindings))) {
      if (!flushesBeforeKnex) {
        flushBeforeKnex(session.knex, async () => {
          if (deferred) await flush((await directConnection())!);
        });
        flushesBeforeKnex = true;
      }
      // Rendered with literals exactly as --sql prints them.
      deferred ??= { sqls: [], checks: [] };
      if (check) deferred.checks.push({ from: deferred.sqls.length, count: statements.length, check });
      for (const statement of statements) deferred.sqls.push(renderStatement(session.knex, dialect, statement));
      return;
    }
    const matched: number[] = [];
    for (const statement of statements) matched.push(await send(statement));
    check?.(matched);
  };

  return {
    dialect,
    // Getters: where the dialect opened the connection itself, knex is made only if asked for.
    get knex() {
      return session.knex;
    },
    get bind() {
      return session.knex;
    },
    isOffline: false,
    sendsTransactions: true,
    send,
    sendTogether(statements, check) {
      // A synchronous driver runs them here and now: nothing to wait for.
      if (connected?.runNow && !deferred && statements.every((s) => isPlainStatement(s.sql, s.bindings))) {
        const runNow = connected.runNow;
        const matched = statements.map((statement) => runNow(statement.sql, statement.bindings));
        check?.(matched);
        return undefined;
      }
      return sendTogetherLater(statements, check);
    },
    async settle() {
      if (deferred) await flush((await directConnection())!);
    },
    discardDeferred() {
      deferred = undefined;
    },
    async note() {},
    lock: (options) => dialect.acquireLock(session, session.database, options),
    tableExists: (table, schema) => dialect.tableExists(session.query, table, schema),
    readVersions: (read) => read(session.query),
  };
}

const FLUSH = Symbol('alembic-ts flush before knex');
type HookedClient = Knex.Client & { [FLUSH]?: () => Promise<void>; acquireConnection(): Promise<unknown> };

/**
 * Every knex query on the session (op.getBind(), op.knex, the runner's own reads)
 * first acquires the connection: held-back statements are sent then, so nothing
 * ever reads the tables without them. Installed once per session, before the first
 * statement is held back; the latest channel's flush is the one called.
 */
function flushBeforeKnex(knex: Knex, flush: () => Promise<void>): void {
  const client = knex.client as HookedClient;
  if (!client[FLUSH]) {
    const acquire = client.acquireConnection.bind(client);
    client.acquireConnection = async () => {
      await client[FLUSH]!();
      return acquire();
    };
  }
  client[FLUSH] = flush;
}
