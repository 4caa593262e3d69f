/**
 * batchAlterTable: several changes to one table. PostgreSQL and MySQL run each as its
 * own ALTER; SQLite rebuilds the table (copy and rename) when a change needs it, reading
 * the current definition from the live database or, offline, from `copyFrom`.
 */
import type { Knex } from 'knex';
import { sqliteDdl } from '../dialects/ddl/sqlite.js';
import { SqliteTableRebuild, type SqliteTableDefinition } from '../dialects/ddl/sqlite-rebuild.js';
import { createRenderHelpers, operationError } from './helpers.js';
import { rowsOf } from '../dialects/common.js';
import type { BatchOperations, BatchOptions, OperationContext, Operations, Statement } from './types.js';

interface BatchAction {
  /** SQLite only: whether this change needs the rebuild (ALTER cannot make it). */
  readonly needsRebuild: boolean;
  /** The change as a plain op. */
  direct(): Promise<void>;
  /** The change applied to the table being rebuilt. */
  applyTo(rebuild: SqliteTableRebuild): void;
}

export interface BatchRun {
  readonly context: OperationContext;
  readonly operations: Operations;
  readonly send: (statements: readonly (Statement | string)[]) => Promise<void>;
  readonly table: string;
  readonly build: (batch: BatchOperations) => void | Promise<void>;
  readonly options: BatchOptions;
}

export async function runBatch(run: BatchRun): Promise<void> {
  const { context, operations: op, table, options } = run;
  const actions: BatchAction[] = [];
  const batch = recordingBatch(context, op, table, actions);
  await run.build(batch);

  const recreate = options.recreate ?? 'auto';
  const rebuild = context.dialect === 'sqlite' && (recreate === 'always' || (recreate === 'auto' && actions.some((action) => action.needsRebuild)));
  if (!rebuild) {
    for (const action of actions) await action.direct();
    return;
  }
  const model = new SqliteTableRebuild(table, await currentDefinition(context, table, options));
  for (const action of actions) {
    try {
      action.applyTo(model);
    } catch (error) {
      if (error instanceof Error && error.name === 'OperationError') throw error;
      throw operationError(context, `batchAlterTable(${table})`, `${(error as Error).message}; check the batch against the table's definition`);
    }
  }
  await run.send(model.statements());
}

function recordingBatch(context: OperationContext, op: Operations, table: string, actions: BatchAction[]): BatchOperations {
  const helpers = (name: string) => createRenderHelpers(context, `batchAlterTable(${table}).${name}`);
  const { knex } = context;
  return {
    addColumn(build) {
      const hidden = knex.schema.alterTable(table, build).toSQL().some((entry) => typeof (entry as { statementsProducer?: unknown }).statementsProducer === 'function' || typeof (entry as { output?: unknown }).output === 'function');
      actions.push({
        needsRebuild: hidden,
        direct: () => op.addColumn(table, build),
        applyTo: (rebuild) => rebuild.addFrom(compiledDefinition(knex, table, build as (t: Knex.CreateTableBuilder) => void)),
      });
    },
    dropColumn(column) {
      actions.push({
        needsRebuild: true,
        direct: () => op.dropColumn(table, column),
        applyTo: (rebuild) => rebuild.dropColumn(column),
      });
    },
    alterColumn(column, changes) {
      const { nullable, type, default: defaultValue, newName } = changes;
      actions.push({
        needsRebuild: nullable !== undefined || type !== undefined || defaultValue !== undefined,
        direct: () => op.alterColumn(table, column, changes),
        applyTo: (rebuild) =>
          rebuild.alterColumn(column, {
            nullable,
            type,
            newName,
            defaultExpression: defaultValue === undefined ? undefined : helpers('alterColumn').defaultExpression(defaultValue),
          }),
      });
    },
    createIndex(name, columns, options = {}) {
      actions.push({
        needsRebuild: false,
        direct: () => op.createIndex(name, table, columns, options),
        applyTo: (rebuild) => {
          const h = helpers('createIndex');
          const rendered = columns.map((column) => (typeof column === 'string' ? h.quote(column) : column.toQuery()));
          rebuild.addIndex(sqliteDdl.createIndex(h, name, table, rendered, { ...options, ifNotExists: false }));
        },
      });
    },
    dropIndex(name, options = {}) {
      actions.push({
        needsRebuild: false,
        direct: () => op.dropIndex(name, table, options),
        applyTo: (rebuild) => {
          if (!rebuild.dropIndex(name) && !options.ifExists) throw new Error(`no index ${name} on table ${table}`);
        },
      });
    },
    createUniqueConstraint(name, columns) {
      actions.push({
        needsRebuild: true,
        direct: () => op.createUniqueConstraint(name, table, columns),
        applyTo: (rebuild) => rebuild.addConstraint({ kind: 'unique', name, columns }),
      });
    },
    createForeignKey(name, referent, localColumns, remoteColumns, options = {}) {
      actions.push({
        needsRebuild: true,
        direct: () => op.createForeignKey(name, table, referent, localColumns, remoteColumns, options),
        applyTo: (rebuild) =>
          rebuild.addConstraint({ kind: 'foreignkey', name, referent, columns: localColumns, remoteColumns, onDelete: options.onDelete, onUpdate: options.onUpdate }),
      });
    },
    createCheckConstraint(name, condition) {
      actions.push({
        needsRebuild: true,
        direct: () => op.createCheckConstraint(name, table, condition),
        applyTo: (rebuild) => rebuild.addConstraint({ kind: 'check', name, condition }),
      });
    },
    createPrimaryKey(name, columns) {
      actions.push({
        needsRebuild: true,
        direct: () => op.createPrimaryKey(name, table, columns),
        applyTo: (rebuild) => rebuild.addConstraint({ kind: 'primary', name, columns }),
      });
    },
    dropConstraint(name, options = {}) {
      actions.push({
        needsRebuild: true,
        direct: () => op.dropConstraint(name, table, options),
        applyTo: (rebuild) => {
          if (!rebuild.dropConstraint(name)) {
            throw new Error(`no constraint named ${name} on table ${table} (SQLite keeps only the names written in CREATE TABLE)`);
          }
        },
      });
    },
  };
}

/** CREATE TABLE + CREATE INDEX statements knex compiles for a table builder. */
function compiledDefinition(knex: Knex, table: string, build: (t: Knex.CreateTableBuilder) => void): SqliteTableDefinition {
  const [create, ...rest] = knex.schema.createTable(table, build).toSQL();
  return {
    createTable: create!.sql,
    createIndexes: rest.map((entry) => entry.sql).filter((sql) => /^create (unique )?index/i.test(sql)),
  };
}

async function currentDefinition(context: OperationContext, table: string, options: BatchOptions): Promise<SqliteTableDefinition> {
  if (options.copyFrom) return compiledDefinition(context.knex, table, options.copyFrom);
  const op = `batchAlterTable(${table})`;
  if (context.isOffline) {
    throw operationError(
      context,
      op,
      'the table must be rebuilt and offline mode cannot read its current definition; ' +
        `pass the table as it is: op.batchAlterTable('${table}', …, { copyFrom: (t) => { … } })`,
    );
  }
  const rows = rowsOf(
    await context.getBind().raw(
      `SELECT type, sql FROM sqlite_master WHERE lower(tbl_name) = lower(?) AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC, rowid`,
      [table],
    ),
  );
  const createTable = rows.find((row) => row.type === 'table')?.sql;
  if (typeof createTable !== 'string') throw operationError(context, op, `table ${table} does not exist; check the name`);
  await refuseRebuildUnderReferences(context, table);
  return { createTable, createIndexes: rows.filter((row) => row.type === 'index').map((row) => String(row.sql)) };
}

/**
 * The rebuild DROPs the table. With foreign keys enforced SQLite then deletes (ON DELETE
 * CASCADE) or refuses the rows of other tables that reference it, so refuse first.
 * The pragma cannot change inside a transaction: the way out is a non-transactional
 * revision that turns it off.
 */
async function refuseRebuildUnderReferences(context: OperationContext, table: string): Promise<void> {
  const bind = context.getBind();
  const [pragma] = rowsOf(await bind.raw('PRAGMA foreign_keys'));
  if (!pragma || Number(pragma.foreign_keys) !== 1) return;
  const referencing = rowsOf(
    await bind.raw(
      `SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
        WHERE m.type = 'table' AND lower(f."table") = lower(?) AND lower(m.name) <> lower(?)`,
      [table, table],
    ),
  ).map((row) => String(row.name));
  for (const child of referencing) {
    if (rowsOf(await bind.raw(`SELECT 1 AS found FROM "${child.replace(/"/g, '""')}" LIMIT 1`)).length > 0) {
      throw operationError(
        context,
        `batchAlterTable(${table})`,
        `rebuilding ${table} drops it, and with foreign keys enforced SQLite would delete or refuse the rows of ${child} that reference it; ` +
          "run it in a revision with `export const transactional = false` that first does op.execute('PRAGMA foreign_keys = OFF') (and ON after)",
      );
    }
  }
}
