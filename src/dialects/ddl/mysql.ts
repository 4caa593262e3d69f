/**
 * MySQL / MariaDB: no transactional DDL, no partial indexes, typed DROP for each kind of
 * constraint, and MODIFY/CHANGE that restate the whole column definition.
 */
import type { AlterColumnOptions } from '../../operations/types.js';
import type { DialectDdl, RenderHelpers } from './types.js';
import { createIndexStatement } from './create-index.js';

interface ColumnDefinition {
  type: string;
  nullable: boolean;
  /** A DEFAULT expression, or null. */
  defaultExpression: string | null;
  comment: string | null;
  /** auto_increment / on update …, kept across MODIFY. */
  extra: string;
}

export const mysqlDdl: DialectDdl = {
  dialect: 'mysql',
  altersConstraints: true,

  async alterColumn(h, table, column, changes) {
    const renamed = changes.newName !== undefined && changes.newName !== column;
    const restatesColumn = changes.type !== undefined || changes.nullable !== undefined || changes.comment !== undefined;
    if (!restatesColumn) {
      // Default and name change without restating the column, so nothing is read.
      const statements: string[] = [];
      if (changes.default !== undefined) {
        const expression = h.defaultExpression(changes.default);
        const action = expression === null ? 'DROP DEFAULT' : `SET DEFAULT ${expression}`;
        statements.push(`ALTER TABLE ${h.quote(table)} ALTER COLUMN ${h.quote(column)} ${action}`);
      }
      if (renamed) {
        statements.push(`ALTER TABLE ${h.quote(table)} RENAME COLUMN ${h.quote(column)} TO ${h.quote(changes.newName!)}`);
      }
      return statements;
    }
    const existing = await existingDefinition(h, table, column, changes);
    const definition = renderDefinition(h, {
      type: changes.type ?? existing.type,
      nullable: changes.nullable ?? existing.nullable,
      defaultExpression: changes.default !== undefined ? h.defaultExpression(changes.default) : existing.defaultExpression,
      comment: changes.comment !== undefined ? changes.comment : existing.comment,
      extra: existing.extra,
    });
    return [
      renamed
        ? `ALTER TABLE ${h.quote(table)} CHANGE COLUMN ${h.quote(column)} ${h.quote(changes.newName!)} ${definition}`
        : `ALTER TABLE ${h.quote(table)} MODIFY ${h.quote(column)} ${definition}`,
    ];
  },

  createIndex(h, name, table, columns, options) {
    if (options.where) {
      throw h.unsupported('MySQL has no partial indexes (where)', 'drop `where`, or index a generated column, or branch on op.dialect');
    }
    // IF NOT EXISTS is MariaDB syntax; MySQL 8 refuses it. CONCURRENTLY is PostgreSQL's.
    return createIndexStatement(h, name, table, columns, { ...options, concurrently: false });
  },

  dropIndex(h, name, table, options) {
    if (table === undefined) {
      throw h.unsupported('MySQL drops an index through its table', `pass the table: op.dropIndex('${name}', '<table>')`);
    }
    // IF EXISTS is MariaDB syntax; MySQL 8 refuses it.
    return `DROP INDEX ${options.ifExists ? 'IF EXISTS ' : ''}${h.quote(name)} ON ${h.quote(table)}`;
  },

  addConstraint(h, table, name, body) {
    return `ALTER TABLE ${h.quote(table)} ADD CONSTRAINT ${h.quote(name)} ${body}`;
  },

  dropConstraint(h, name, table, type) {
    const alter = `ALTER TABLE ${h.quote(table)}`;
    switch (type) {
      case 'foreignkey':
        return `${alter} DROP FOREIGN KEY ${h.quote(name)}`;
      case 'unique':
        return `${alter} DROP INDEX ${h.quote(name)}`;
      case 'primary':
        return `${alter} DROP PRIMARY KEY`;
      case 'check':
        // DROP CONSTRAINT: MariaDB 10.2+ and MySQL 8.0.19+ (MariaDB has no DROP CHECK).
        return `${alter} DROP CONSTRAINT ${h.quote(name)}`;
      default:
        throw h.unsupported(
          'MySQL has no generic DROP CONSTRAINT',
          "pass the constraint's type: { type: 'foreignkey' | 'unique' | 'check' | 'primary' }",
        );
    }
  },

  tableComment(h, table, comment) {
    return [`ALTER TABLE ${h.quote(table)} COMMENT = ${h.literal(comment ?? '')}`];
  },
};

function renderDefinition(h: RenderHelpers, column: ColumnDefinition): string {
  return [
    column.type,
    column.nullable ? 'NULL' : 'NOT NULL',
    column.defaultExpression !== null ? `DEFAULT ${column.defaultExpression}` : '',
    column.extra,
    column.comment ? `COMMENT ${h.literal(column.comment)}` : '',
  ].filter(Boolean).join(' ');
}

/** The column as it is: from the options (offline) or from information_schema (online). */
async function existingDefinition(h: RenderHelpers, table: string, column: string, changes: AlterColumnOptions): Promise<ColumnDefinition> {
  if (changes.existingType !== undefined) {
    return {
      type: changes.existingType,
      nullable: changes.existingNullable ?? true,
      defaultExpression: changes.existingDefault !== undefined ? h.defaultExpression(changes.existingDefault) : null,
      comment: changes.existingComment ?? null,
      extra: '',
    };
  }
  const [schema, tableName] = table.includes('.') ? table.split('.', 2) : [null, table];
  const rows = await h.read(
    `SELECT COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_COMMENT AS comment, EXTRA AS extra
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
    [schema, tableName, column],
    {
      why: 'MySQL restates the whole column and the live column cannot be read offline',
      wayOut: 'give existingType (and existingNullable, existingDefault, existingComment) in the alterColumn options',
    },
  );
  const row = rows[0];
  if (!row) throw h.unsupported(`column ${table}.${column} does not exist`, 'check the table and column names');
  return {
    type: String(row.type),
    nullable: row.nullable === 'YES',
    defaultExpression: defaultFromCatalog(h, row.dflt),
    comment: row.comment ? String(row.comment) : null,
    extra: String(row.extra ?? '').replace(/DEFAULT_GENERATED/i, '').trim(),
  };
}

/**
 * COLUMN_DEFAULT differs: MariaDB gives an SQL expression ('text' quoted, NULL as the
 * word), MySQL the bare value. Both come back out as an expression.
 */
function defaultFromCatalog(h: RenderHelpers, value: unknown): string | null {
  if (value === null || value === undefined || value === 'NULL') return null;
  const text = String(value);
  if (text.startsWith("'") || /^-?\d+(\.\d+)?$/.test(text) || /^current_timestamp/i.test(text) || text.includes('(')) return text;
  return h.literal(text);
}
