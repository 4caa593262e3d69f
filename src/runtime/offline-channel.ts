import type { Knex } from 'knex';
import { loadKnex } from './knex.js';
import type { DatabaseConfig } from '../config/types.js';
import { getDialect, type Dialect } from '../dialects/index.js';
import type { Statement } from '../operations/types.js';
import { isPlainStatement } from '../dialects/common.js';
import type { RunChannel } from './channel.js';

export interface OfflineChannel extends RunChannel {
  /** The SQL printed so far (SPEC §7 format). */
  text(): string;
}

export interface OfflineStart {
  /** The version rows the database is taken to hold at the start: the range's FROM; [] without one. */
  readonly heads: readonly string[];
}

/**
 * Prints instead of executing. Nothing here connects: the knex instance is made
 * without a connection, so knex neither loads the driver nor opens a pool; it only
 * compiles. With no start revision the bookkeeping tables are taken not to exist yet,
 * so the run emits their CREATE TABLE (as Alembic does); with one, they exist.
 */
export async function createOfflineChannel(database: DatabaseConfig, start: OfflineStart): Promise<OfflineChannel> {
  const dialect = await getDialect(database.dialect);
  const knex = offlineKnex(database);
  const chunks: string[] = [];
  const tablesExist = start.heads.length > 0;
  return {
    dialect,
    knex,
    isOffline: true,
    // MySQL commits DDL implicitly: a BEGIN/COMMIT in the file would promise what it cannot keep.
    sendsTransactions: dialect.transactionalDdl,
    async send(statement) {
      chunks.push(renderStatement(knex, dialect, statement));
      return undefined;
    },
    sendTogether(statements) {
      for (const statement of statements) chunks.push(renderStatement(knex, dialect, statement));
      return undefined;
    },
    settle: async () => undefined,
    discardDeferred: () => undefined,
    async note(text) {
      chunks.push(`-- ${text}\n\n`);
    },
    lock: async () => ({ release: async () => undefined }),
    tableExists: async () => tablesExist,
    readVersions: async () => [...start.heads],
    text: () => chunks.join(''),
  };
}

/** A knex instance of the database's client that only compiles: no connection, no driver, no pool. */
export function offlineKnex(database: DatabaseConfig): Knex {
  const { client, useNullAsDefault } = database.knex;
  return loadKnex()({ client, useNullAsDefault });
}

/**
 * One statement as text: bindings inlined as literals the way the database's driver
 * would send them, terminated with `;` and followed by a blank line.
 */
export function renderStatement(knex: Knex, dialect: Dialect, statement: Statement): string {
  const sql = statement.bindings.length === 0
    ? statement.sql
    : isPlainStatement(statement.sql, statement.bindings)
      ? inlineBindings(knex, statement.sql, statement.bindings.map((value) => dialect.offlineBinding(value)))
      : knex.raw(statement.sql, statement.bindings.map((value) => dialect.offlineBinding(value)) as Knex.RawBinding[]).toQuery();
  const body = withoutTerminator(sql);
  // A trailing `-- comment` would swallow the terminator.
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  return `${body}${lastLine.includes('--') ? '\n' : ''};\n\n`;
}

/** The statement without trailing whitespace and semicolons (a loop: `/[\s;]+$/` retries at every blank of a 100-row INSERT). */
function withoutTerminator(sql: string): string {
  let end = sql.length;
  while (end > 0) {
    const code = sql.charCodeAt(end - 1);
    if (code !== 59 /* ; */ && !isBlank(code)) break;
    end--;
  }
  return end === sql.length ? sql : sql.slice(0, end);
}

/** `\s` of a regular expression, tested by code first (the rare non-ASCII blanks by the regex itself). */
function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
}

/**
 * What knex.raw(sql, bindings).toQuery() makes of a plain statement (see
 * isPlainStatement), without building a Raw: each `?` becomes the client's own
 * literal of its value. Online runs render every version and history row this way.
 */
function inlineBindings(knex: Knex, sql: string, values: readonly unknown[]): string {
  const client = knex.client as unknown as { _escapeBinding(value: unknown, context: { timeZone?: string }): string };
  let index = 0;
  return sql.replace(/\?/g, (match) => (index < values.length ? client._escapeBinding(values[index++], { timeZone: undefined }) : match));
}
