/** Turning knex builders into Statements, and running a Statement on a connection. */
import type { Knex } from 'knex';
import type { Statement, StatementSink } from './types.js';

interface CompiledEntry {
  sql: string;
  bindings?: readonly unknown[];
  output?: unknown;
  statementsProducer?: unknown;
}

export interface CompilableBuilder {
  toSQL(): CompiledEntry | CompiledEntry[];
}

export function isCompilable(value: unknown): value is CompilableBuilder {
  return typeof value === 'object' && value !== null && typeof (value as { toSQL?: unknown }).toSQL === 'function';
}

/**
 * The statements of a knex builder. knex marks the entries it would complete by reading
 * the live database (SQLite PRAGMA table_info rebuilds, MySQL `show full fields`) with
 * an `output` or `statementsProducer` callback: those cannot be captured as SQL, so
 * `onHiddenRead` is asked for the error to throw.
 */
export function statementsOf(builder: CompilableBuilder, onHiddenRead: (sql: string) => Error): Statement[] {
  const compiled = builder.toSQL();
  const entries = Array.isArray(compiled) ? compiled : [compiled];
  return entries.map((entry) => {
    if (typeof entry.output === 'function' || typeof entry.statementsProducer === 'function') throw onHiddenRead(entry.sql);
    // knex leaves a key missing from a SQLite multi-row insert as undefined (its useNullAsDefault).
    return { sql: entry.sql, bindings: (entry.bindings ?? []).map((value) => (value === undefined ? null : value)) };
  });
}

/**
 * Runs a statement on a knex connection or transaction. Text without bindings runs as
 * written: the pg client would otherwise read each `?` as a placeholder.
 */
export async function executeStatement(bind: Knex | Knex.Transaction, statement: Statement): Promise<unknown> {
  if (statement.bindings.length > 0) return bind.raw(statement.sql, statement.bindings as Knex.RawBinding[]);
  const clientName = String(bind.client.config.client ?? '');
  const protectedSql = /^(pg|postgres|postgresql|pgnative|cockroachdb|redshift)$/.test(clientName)
    ? statement.sql.replace(/\?/g, '\\?')
    : statement.sql;
  return bind.raw(protectedSql);
}

/** The online sink: every statement runs on `bind`, in order. */
export function createExecutingSink(bind: Knex | Knex.Transaction | (() => Knex | Knex.Transaction)): StatementSink {
  return {
    async run(statement) {
      await executeStatement(typeof bind === 'function' && !('client' in bind) ? bind() : (bind as Knex), statement);
    },
  };
}

