/** Ops over a scratch database with a sink that executes and records, plus schema readers. */
import type { Knex } from 'knex';
import knexFactory from 'knex';
import type { DialectName } from '../../src/config/types.js';
import { OperationError } from '../../src/errors.js';
import { createOperations, executeStatement } from '../../src/operations/index.js';
import type { Operations, Statement } from '../../src/operations/types.js';
import type { ScratchDatabase } from '../support/databases.js';

export interface RecordedOperations {
  readonly op: Operations;
  /** SQL of every statement the sink received, in order. */
  readonly statements: Statement[];
  readonly sql: () => string[];
}

/** Online ops: the sink runs each statement on the scratch database and records it. */
export function onlineOperations(db: ScratchDatabase, revision = 'abc123def456'): RecordedOperations {
  const statements: Statement[] = [];
  const op = createOperations({
    dialect: db.dialect,
    knex: db.knex,
    isOffline: false,
    xArgs: {},
    revision,
    sink: {
      async run(statement) {
        statements.push(statement);
        await executeStatement(db.knex, statement);
      },
    },
    getBind: () => db.knex,
    autocommitBlock: (fn) => fn(),
  });
  return { op, statements, sql: () => statements.map((statement) => statement.sql) };
}

const CLIENTS: Record<DialectName, string> = { sqlite: 'better-sqlite3', postgresql: 'pg', mysql: 'mysql2' };

/** Offline ops: a never-connected knex; the sink only records. */
export function offlineOperations(dialect: DialectName, revision = 'abc123def456'): RecordedOperations & { knex: Knex } {
  const statements: Statement[] = [];
  const knex = knexFactory({ client: CLIENTS[dialect], useNullAsDefault: true });
  const op = createOperations({
    dialect,
    knex,
    isOffline: true,
    xArgs: { env: 'review' },
    tag: 'v1',
    revision,
    sink: { async run(statement) { statements.push(statement); } },
    getBind: () => { throw new OperationError(`getBind() is not available offline [revision ${revision}]`); },
    autocommitBlock: (fn) => fn(),
  });
  return { op, knex, statements, sql: () => statements.map((statement) => statement.sql) };
}

export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}

async function query(db: ScratchDatabase, sql: string, bindings: unknown[] = []): Promise<Record<string, unknown>[]> {
  return rowsOf(await db.knex.raw(sql, bindings as never[]));
}

export async function tableNames(db: ScratchDatabase): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await query(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : db.dialect === 'postgresql'
        ? await query(db, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")
        : await query(db, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  return rows.map((row) => String(row.name)).sort();
}

export interface ColumnInfo { name: string; nullable: boolean; type: string; default: string | null }

export async function columnsOf(db: ScratchDatabase, table: string): Promise<ColumnInfo[]> {
  if (db.dialect === 'sqlite') {
    const rows = await query(db, `PRAGMA table_info("${table}")`);
    return rows.map((row) => ({ name: String(row.name), nullable: !row.notnull, type: String(row.type).toLowerCase(), default: row.dflt_value === null ? null : String(row.dflt_value) }));
  }
  const rows =
    db.dialect === 'postgresql'
      ? await query(db, `SELECT column_name AS name, is_nullable AS nullable, data_type AS type, character_maximum_length AS length, column_default AS dflt
                           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position`, [table])
      : await query(db, `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, COLUMN_TYPE AS type, NULL AS length, COLUMN_DEFAULT AS dflt
                           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, [table]);
  return rows.map((row) => ({
    name: String(row.name),
    nullable: row.nullable === 'YES',
    type: String(row.type).toLowerCase() + (row.length ? `(${row.length})` : ''),
    default: row.dflt === null || row.dflt === 'NULL' ? null : String(row.dflt),
  }));
}

export async function columnNames(db: ScratchDatabase, table: string): Promise<string[]> {
  return (await columnsOf(db, table)).map((column) => column.name);
}

export interface IndexInfo { name: string; unique: boolean; columns: string[] }

/** Explicit indexes (not primary keys). */
export async function indexesOf(db: ScratchDatabase, table: string): Promise<IndexInfo[]> {
  let rows: Record<string, unknown>[];
  if (db.dialect === 'sqlite') {
    const list = await query(db, `PRAGMA index_list("${table}")`);
    const result: IndexInfo[] = [];
    for (const index of list.filter((entry) => entry.origin !== 'pk')) {
      const columns = await query(db, `PRAGMA index_info("${String(index.name)}")`);
      result.push({ name: String(index.name), unique: Boolean(index.unique), columns: columns.map((column) => String(column.name)) });
    }
    return result.sort((a, b) => a.name.localeCompare(b.name));
  }
  if (db.dialect === 'postgresql') {
    rows = await query(db, `SELECT i.relname AS name, ix.indisunique AS uniq, a.attname AS col
        FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
       WHERE t.relname = ? AND NOT ix.indisprimary ORDER BY i.relname, array_position(ix.indkey::int[], a.attnum::int)`, [table]);
  } else {
    rows = await query(db, `SELECT INDEX_NAME AS name, NON_UNIQUE = 0 AS uniq, COLUMN_NAME AS col FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`, [table]);
  }
  const byName = new Map<string, IndexInfo>();
  for (const row of rows) {
    const name = String(row.name);
    const entry = byName.get(name) ?? { name, unique: Boolean(Number(row.uniq)) || row.uniq === true, columns: [] };
    if (row.col !== null) entry.columns.push(String(row.col));
    byName.set(name, entry);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Named constraints as [name, type] (PostgreSQL/MySQL catalogs; SQLite: names in CREATE TABLE). */
export async function constraintsOf(db: ScratchDatabase, table: string): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const [row] = await query(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    const sql = String(row?.sql ?? '');
    return [...sql.matchAll(/constraint\s+[`"]?(\w+)[`"]?\s+(primary key|unique|check|foreign key)/gi)]
      .map((match) => `${match[1]} ${match[2]!.toUpperCase()}`).sort();
  }
  const rows =
    db.dialect === 'postgresql'
      ? await query(db, "SELECT constraint_name AS name, constraint_type AS type FROM information_schema.table_constraints WHERE table_schema = 'public' AND table_name = ? AND NOT (constraint_type = 'CHECK' AND constraint_name LIKE '%_not_null')", [table])
      : await query(db, 'SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
  return rows.map((row) => `${String(row.name)} ${String(row.type)}`).sort();
}

/** Asserts the promise rejects with an OperationError and returns its message. */
export async function operationErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OperationError) return error.message;
    throw error;
  }
  throw new Error('expected an OperationError, but the op succeeded');
}
