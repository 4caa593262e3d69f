/**
 * SQLite: ALTER TABLE can add, rename and (3.35+) drop columns, nothing else. Column
 * changes and constraints go through batchAlterTable's copy-and-rename rebuild.
 */
import type { DialectDdl } from './types.js';
import { createIndexStatement } from './create-index.js';

export const sqliteDdl: DialectDdl = {
  dialect: 'sqlite',
  altersConstraints: false,

  async alterColumn(h, table, column, changes) {
    const { nullable, type, default: defaultValue, newName } = changes;
    if (nullable !== undefined || type !== undefined || defaultValue !== undefined) {
      throw h.unsupported(
        'SQLite cannot ALTER a column\'s type, nullability or default',
        `use op.batchAlterTable('${table}', (batch) => batch.alterColumn('${column}', {...}))`,
      );
    }
    // Comments do not exist in SQLite: ignored, so one migration serves every database.
    if (newName === undefined || newName === column) return [];
    return [`ALTER TABLE ${h.quote(table)} RENAME COLUMN ${h.quote(column)} TO ${h.quote(newName)}`];
  },

  createIndex(h, name, table, columns, options) {
    // CONCURRENTLY is PostgreSQL's; SQLite builds the index under its write lock anyway.
    return createIndexStatement(h, name, table, columns, { ...options, concurrently: false });
  },

  dropIndex(h, name, _table, options) {
    return `DROP INDEX ${options.ifExists ? 'IF EXISTS ' : ''}${h.quote(name)}`;
  },

  addConstraint(h, table) {
    throw h.unsupported(
      'SQLite cannot add a constraint to an existing table',
      `use op.batchAlterTable('${table}', (batch) => …), which rebuilds the table`,
    );
  },

  dropConstraint(h, _name, table) {
    throw h.unsupported(
      'SQLite cannot drop a constraint from an existing table',
      `use op.batchAlterTable('${table}', (batch) => batch.dropConstraint(…)), which rebuilds the table`,
    );
  },

  tableComment() {
    return []; // SQLite has no comments.
  },
};
