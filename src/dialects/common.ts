/** Helpers the dialect modules share: error codes, lock polling, lock names. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { DatabaseError, LockTimeoutError } from '../errors.js';
import type { DatabaseConfig } from '../config/types.js';
import type { KnexSession, LockHolder, LockOptions } from './types.js';

/** The `code` a Node or driver error carries (ECONNREFUSED, 28P01, ER_BAD_DB_ERROR...). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // AggregateError from a host that resolves to several addresses.
  const inner = (error as { errors?: unknown[] }).errors;
  return Array.isArray(inner) && inner.length > 0 ? errorCode(inner[0]) : undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

/** The network-level failures every server dialect reports the same way. */
export function describeUnreachable(error: unknown, displayName: string, database: DatabaseConfig): Error | undefined {
  const code = errorCode(error);
  if (!code || !UNREACHABLE.has(code)) return undefined;
  return new DatabaseError(
    `Cannot reach the ${displayName} server of ${database.displayUrl} (${code}): check the host and port in the URL and that the server is running`,
    { cause: error },
  );
}

/**
 * Whether knex would send a statement exactly as written, with the same bindings: no
 * `??` identifiers or `\\?` escapes to rewrite, and bindings the driver takes as they
 * are (knex inlines builders and raw values, and refuses undefined). Such statements
 * may skip knex (see DirectConnection); knex keeps the others.
 */
export function isPlainStatement(sql: string, bindings: readonly unknown[]): boolean {
  if (bindings.length === 0) return true;
  for (const value of bindings) {
    if (value === null) continue;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') continue;
    if (value instanceof Date || value instanceof Uint8Array) continue;
    return false;
  }
  return !sql.includes('??') && !sql.includes('\\?');
}

/**
 * The connection knex's single-connection pool holds, borrowed: acquired and handed
 * straight back, so knex (op.getBind()) keeps using it too. The pool never drops it
 * (min 1, no idle timeout), and statements are awaited one at a time, so the two
 * users never interleave.
 */
export async function borrowConnection<T>(session: Knex): Promise<T> {
  const client = session.client as unknown as { acquireConnection(): Promise<T>; releaseConnection(connection: T): Promise<unknown> };
  const connection = await client.acquireConnection();
  await client.releaseConnection(connection);
  return connection;
}

/**
 * What knex does around a query it runs, for statements that skip it: the `query`
 * event (listeners see every statement of a run) and, on failure, the SQL in front
 * of the database's message.
 */
export function reportQuery(session: KnexSession, sql: string, bindings: readonly unknown[]): void {
  session.madeKnex?.client.emit('query', { method: 'raw', sql, bindings });
}

/** `sql` with knex's `?` placeholders. */
export function queryFailure(session: KnexSession, sql: string, bindings: readonly unknown[], error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  let text = sql;
  try {
    if (bindings.length > 0) text = session.knex.raw(sql, bindings as Knex.RawBinding[]).toQuery();
  } catch {
    // Shown as written.
  }
  error.message = `${text} - ${error.message}`;
  return error;
}

/** Stable lock name for a version table: the same tables share one lock, others do not. */
export function lockName(options: Pick<LockOptions, 'versionTable' | 'versionTableSchema'>): string {
  return `${options.versionTableSchema ?? ''}.${options.versionTable}`;
}

/** A positive 31-bit integer derived from a string, for integer-keyed locks. */
export function lockKey(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fffffff;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tries to take a lock until the deadline. tryLock returns true once held;
 * describeHolder is asked (best effort) when the lock is busy, for the waiting
 * message and the timeout error.
 */
export async function waitForLock(
  tryLock: () => Promise<boolean>,
  describeHolder: () => Promise<LockHolder | undefined>,
  options: LockOptions,
): Promise<void> {
  if (await tryLock()) return;
  const deadline = Date.now() + options.timeoutMs;
  let holder = await describeHolder().catch(() => undefined);
  options.onWait(holder);
  for (;;) {
    // Short, jittered pauses: concurrent runners do not retry in lockstep.
    await sleep(Math.min(50 + Math.random() * 100, Math.max(0, deadline - Date.now())));
    if (await tryLock()) return;
    if (Date.now() >= deadline) {
      holder = (await describeHolder().catch(() => undefined)) ?? holder;
      throw new LockTimeoutError(
        `Gave up after ${options.timeoutMs} ms waiting for the migration lock held by ${holder?.description ?? 'another runner'}; ` +
          'try again once it finishes, or raise lockTimeout in the config',
      );
    }
  }
}

/** Rows of a raw query, whatever the driver's result shape. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) {
    // mysql2: [rows, fields]; better-sqlite3: rows.
    return (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];
  }
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}
