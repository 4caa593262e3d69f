/** PostgreSQL: transactional DDL, ALTER COLUMN piece by piece, COMMENT ON, CONCURRENTLY. */
import type { DialectDdl } from './types.js';
import { createIndexStatement } from './create-index.js';

export const postgresqlDdl: DialectDdl = {
  dialect: 'postgresql',
  altersConstraints: true,

  async alterColumn(h, table, column, changes) {
    const alter = `ALTER TABLE ${h.quote(table)} ALTER COLUMN ${h.quote(column)}`;
    const statements: string[] = [];
    if (changes.type !== undefined) {
      statements.push(`${alter} TYPE ${changes.type}${changes.using ? ` USING ${changes.using}` : ''}`);
    }
    if (changes.default !== undefined) {
      const expression = h.defaultExpression(changes.default);
      statements.push(expression === null ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${expression}`);
    }
    if (changes.nullable !== undefined) {
      statements.push(`${alter} ${changes.nullable ? 'DROP' : 'SET'} NOT NULL`);
    }
    if (changes.comment !== undefined) {
      const text = changes.comment === null ? 'NULL' : h.literal(changes.comment);
      statements.push(`COMMENT ON COLUMN ${h.quote(table)}.${h.quote(column)} IS ${text}`);
    }
    // Renamed last, so the statements above can name the column as it was.
    if (changes.newName !== undefined && changes.newName !== column) {
      statements.push(`ALTER TABLE ${h.quote(table)} RENAME COLUMN ${h.quote(column)} TO ${h.quote(changes.newName)}`);
    }
    return statements;
  },

  createIndex(h, name, table, columns, options) {
    return createIndexStatement(h, name, table, columns, options);
  },

  dropIndex(h, name, _table, options) {
    return ['DROP INDEX', options.concurrently ? 'CONCURRENTLY' : '', options.ifExists ? 'IF EXISTS' : '', h.quote(name)]
      .filter(Boolean).join(' ');
  },

  addConstraint(h, table, name, body) {
    return `ALTER TABLE ${h.quote(table)} ADD CONSTRAINT ${h.quote(name)} ${body}`;
  },

  dropConstraint(h, name, table) {
    return `ALTER TABLE ${h.quote(table)} DROP CONSTRAINT ${h.quote(name)}`;
  },

  tableComment(h, table, comment) {
    return [`COMMENT ON TABLE ${h.quote(table)} IS ${comment === null ? 'NULL' : h.literal(comment)}`];
  },
};
