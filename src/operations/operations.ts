/**
 * The op object: every call becomes SQL statements handed to context.sink, in order.
 * knex's schema builder renders tables and columns; src/dialects/ddl renders the rest.
 */
import type { Knex } from 'knex';
import { ddlFor, type RenderHelpers } from '../dialects/ddl/index.js';
import { runBatch } from './batch.js';
import { createRenderHelpers, operationError } from './helpers.js';
import { isCompilable, statementsOf, type CompilableBuilder } from './statements.js';
import type {
  AlterColumnOptions,
  BatchOperations,
  BatchOptions,
  ConstraintType,
  CreateIndexOptions,
  DropIndexOptions,
  Executable,
  ForeignKeyOptions,
  IndexColumn,
  OperationContext,
  Operations,
  Statement,
} from './types.js';

/** Per INSERT: under SQLite's and PostgreSQL's bound-variable limits and SQLite's 500-term compound SELECT. */
const BULK_INSERT_BINDINGS = 10_000;
const BULK_INSERT_ROWS = 500;

export function createOperations(context: OperationContext): Operations {
  const ddl = ddlFor(context.dialect);
  // Not taken from context up front: a run whose ops need no knex never makes one (see DatabaseSession.own).
  const knex = () => context.knex;

  const send = async (statements: readonly (Statement | string)[]) => {
    for (const statement of statements) {
      await context.sink.run(typeof statement === 'string' ? { sql: statement, bindings: [] } : statement);
    }
  };
  const helpers = (op: string) => createRenderHelpers(context, op);
  const fromKnex = (op: string, builder: CompilableBuilder, wayOut: string) =>
    statementsOf(builder, (sql) =>
      operationError(context, op, `knex would read the live table to build this change (${sql}), which cannot be captured as SQL${wayOut ? `; ${wayOut}` : ''}`),
    );
  const columnList = (h: RenderHelpers, columns: readonly string[]) => columns.map((column) => h.quote(column)).join(', ');
  const indexColumns = (h: RenderHelpers, columns: readonly IndexColumn[]) =>
    columns.map((column) => (typeof column === 'string' ? h.quote(column) : column.toQuery()));

  const addConstraint = async (op: string, table: string, name: string, body: (h: RenderHelpers) => string) => {
    const h = helpers(op);
    await send([ddl.addConstraint(h, table, name, body(h))]);
  };

  const operations: Operations = {
    get knex() {
      return context.knex;
    },
    dialect: context.dialect,
    isOffline: context.isOffline,
    xArgs: context.xArgs,
    tag: context.tag,

    async createTable(name, build, options = {}) {
      const statements = fromKnex(`createTable(${name})`, knex().schema.createTable(name, build), 'declare it without that call');
      // Not knex's createTableIfNotExists: it prints a deprecation notice to stdout, which would corrupt --sql output.
      if (options.ifNotExists) {
        statements[0] = { ...statements[0]!, sql: statements[0]!.sql.replace(/^create table /i, 'create table if not exists ') };
      }
      await send(statements);
    },

    async dropTable(name, options = {}) {
      await send(fromKnex(`dropTable(${name})`, options.ifExists ? knex().schema.dropTableIfExists(name) : knex().schema.dropTable(name), ''));
    },

    async renameTable(oldName, newName) {
      await send(fromKnex(`renameTable(${oldName})`, knex().schema.renameTable(oldName, newName) as unknown as CompilableBuilder, ''));
    },

    async addColumn(table, build) {
      await send(fromKnex(`addColumn(${table})`, knex().schema.alterTable(table, build),
        `add the column with op.batchAlterTable('${table}', (batch) => batch.addColumn(…))`));
    },

    async dropColumn(table, column) {
      // The same statement everywhere (SQLite has it natively since 3.35; it refuses
      // indexed, key and constrained columns itself).
      const h = helpers(`dropColumn(${table}.${column})`);
      await send([`ALTER TABLE ${h.quote(table)} DROP COLUMN ${h.quote(column)}`]);
    },

    async alterColumn(table, column, changes: AlterColumnOptions) {
      await send(await ddl.alterColumn(helpers(`alterColumn(${table}.${column})`), table, column, changes));
    },

    async createIndex(name, table, columns, options: CreateIndexOptions = {}) {
      const h = helpers(`createIndex(${name})`);
      await send([ddl.createIndex(h, name, table, indexColumns(h, columns), options)]);
    },

    async dropIndex(name, table, options: DropIndexOptions = {}) {
      await send([ddl.dropIndex(helpers(`dropIndex(${name})`), name, table, options)]);
    },

    async createUniqueConstraint(name, table, columns) {
      await addConstraint(`createUniqueConstraint(${name})`, table, name, (h) => `UNIQUE (${columnList(h, columns)})`);
    },

    async createForeignKey(name, source, referent, localColumns, remoteColumns, options: ForeignKeyOptions = {}) {
      await addConstraint(`createForeignKey(${name})`, source, name, (h) =>
        [
          `FOREIGN KEY (${columnList(h, localColumns)}) REFERENCES ${h.quote(referent)} (${columnList(h, remoteColumns)})`,
          options.onDelete ? `ON DELETE ${options.onDelete}` : '',
          options.onUpdate ? `ON UPDATE ${options.onUpdate}` : '',
        ].filter(Boolean).join(' '),
      );
    },

    async createCheckConstraint(name, table, condition) {
      await addConstraint(`createCheckConstraint(${name})`, table, name, () => `CHECK (${condition})`);
    },

    async createPrimaryKey(name, table, columns) {
      await addConstraint(`createPrimaryKey(${name})`, table, name, (h) => `PRIMARY KEY (${columnList(h, columns)})`);
    },

    async dropConstraint(name, table, options: { type?: ConstraintType } = {}) {
      await send([ddl.dropConstraint(helpers(`dropConstraint(${name})`), name, table, options.type)]);
    },

    async createTableComment(table, comment) {
      await send(ddl.tableComment(helpers(`createTableComment(${table})`), table, comment));
    },

    async execute(sql: Executable, bindings: readonly unknown[] = []) {
      if (typeof sql === 'string') {
        await context.sink.run({ sql, bindings });
        return;
      }
      if (!isCompilable(sql)) throw operationError(context, 'execute', 'expected SQL text or a knex builder; pass a string or knex query');
      await send(fromKnex('execute', sql, 'use the dedicated op instead'));
    },

    async bulkInsert(table, rows) {
      if (rows.length === 0) return;
      // A key missing from a row gets the column's DEFAULT (NULL on SQLite), as knex renders it.
      const columnCount = new Set(rows.flatMap((row) => Object.keys(row))).size;
      const perStatement = Math.max(1, Math.min(BULK_INSERT_ROWS, Math.floor(BULK_INSERT_BINDINGS / Math.max(1, columnCount))));
      for (let start = 0; start < rows.length; start += perStatement) {
        await send(fromKnex(`bulkInsert(${table})`, knex()(table).insert(rows.slice(start, start + perStatement)), ''));
      }
    },

    async alterTable(table, build) {
      await send(fromKnex(`alterTable(${table})`, knex().schema.alterTable(table, build),
        `use op.alterColumn / op.dropColumn, or op.batchAlterTable('${table}', …) on SQLite`));
    },

    async batchAlterTable(table, build: (batch: BatchOperations) => void | Promise<void>, options: BatchOptions = {}) {
      await runBatch({ context, operations, send, table, build, options });
    },

    autocommitBlock(fn) {
      return context.autocommitBlock(fn);
    },

    getBind(): Knex | Knex.Transaction {
      return context.getBind();
    },
  };
  return operations;
}
