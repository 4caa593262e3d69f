/**
 * SQLite's copy-and-rename rebuild (the procedure of sqlite.org/lang_altertable.html §7),
 * for the changes ALTER TABLE cannot make. The table is held as knex's own SQLite
 * CREATE TABLE / CREATE INDEX syntax tree (knex parses and compiles it for its internal
 * rebuilds); we change the tree and compile it back, so every statement is plain SQL
 * that the sink can run or print.
 */
import { createRequire } from 'node:module';

interface KnexSqliteSyntax {
  parseCreateTable(sql: string): TableAst;
  parseCreateIndex(sql: string): IndexAst;
  compileCreateTable(ast: TableAst, wrap: (name: string) => string): string;
  compileCreateIndex(ast: IndexAst, wrap: (name: string) => string): string;
}

let syntax: KnexSqliteSyntax | undefined;

/**
 * knex's parser and compiler, required on the first rebuild: every run loads the op API,
 * and these four files of knex (~2 ms) serve only batchAlterTable on SQLite.
 */
function knexSqliteSyntax(): KnexSqliteSyntax {
  if (syntax === undefined) {
    const require = createRequire(import.meta.url);
    syntax = {
      ...(require('knex/lib/dialects/sqlite3/schema/internal/parser') as Pick<KnexSqliteSyntax, 'parseCreateTable' | 'parseCreateIndex'>),
      ...(require('knex/lib/dialects/sqlite3/schema/internal/compiler') as Pick<KnexSqliteSyntax, 'compileCreateTable' | 'compileCreateIndex'>),
    };
  }
  return syntax;
}

const parseCreateTable = (sql: string): TableAst => knexSqliteSyntax().parseCreateTable(sql);
const parseCreateIndex = (sql: string): IndexAst => knexSqliteSyntax().parseCreateIndex(sql);
const compileCreateTable = (ast: TableAst, wrap: (name: string) => string): string => knexSqliteSyntax().compileCreateTable(ast, wrap);
const compileCreateIndex = (ast: IndexAst, wrap: (name: string) => string): string => knexSqliteSyntax().compileCreateIndex(ast, wrap);

type Expression = (string | Expression)[];

interface NamedPart { name: string | null }
interface ColumnConstraints {
  primary: (NamedPart & Record<string, unknown>) | null;
  notnull: (NamedPart & Record<string, unknown>) | null;
  null: (NamedPart & Record<string, unknown>) | null;
  unique: (NamedPart & Record<string, unknown>) | null;
  check: (NamedPart & { expression: Expression }) | null;
  default: (NamedPart & { value: string | Expression; expression: boolean }) | null;
  references: (NamedPart & { table: string; columns: string[] } & Record<string, unknown>) | null;
  [other: string]: unknown;
}
interface ColumnAst { name: string; type: string | null; constraints: ColumnConstraints }
interface IndexedColumn { name: string | Expression; expression: boolean; collation: string | null; order: string | null }
type TableConstraint =
  | { type: 'PRIMARY KEY' | 'UNIQUE'; name: string | null; columns: IndexedColumn[]; conflict: unknown }
  | { type: 'CHECK'; name: string | null; expression: Expression }
  | { type: 'FOREIGN KEY'; name: string | null; columns: string[]; references: { table: string; columns: string[]; delete: string | null; update: string | null; match: unknown; deferrable: unknown } };
interface TableAst { table: string; columns: ColumnAst[]; constraints: TableConstraint[]; [other: string]: unknown }
interface IndexAst { index: string; table: string; columns: IndexedColumn[]; unique: boolean; where: Expression | null; [other: string]: unknown }

export interface SqliteTableDefinition {
  /** CREATE TABLE statement of the table as it is. */
  readonly createTable: string;
  /** CREATE INDEX statements of its explicit indexes. */
  readonly createIndexes: readonly string[];
}

export interface SqliteColumnChange {
  readonly nullable?: boolean;
  readonly type?: string;
  /** A DEFAULT expression; null removes the default; undefined leaves it. */
  readonly defaultExpression?: string | null;
  readonly newName?: string;
}

export type SqliteConstraintSpec =
  | { kind: 'unique' | 'primary'; name: string; columns: readonly string[] }
  | { kind: 'check'; name: string; condition: string }
  | { kind: 'foreignkey'; name: string; columns: readonly string[]; referent: string; remoteColumns: readonly string[]; onDelete?: string; onUpdate?: string };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const indexedColumn = (name: string): IndexedColumn => ({ name, expression: false, collation: null, order: null });

/** A table being rebuilt: its new definition, and where each new column's data comes from. */
export class SqliteTableRebuild {
  private readonly table: TableAst;
  private indexes: IndexAst[];
  /** new column name → old column name (null: a new column, filled by its default). */
  private readonly sources = new Map<string, string | null>();

  constructor(readonly tableName: string, definition: SqliteTableDefinition) {
    this.table = parseCreateTable(definition.createTable);
    this.indexes = definition.createIndexes.map((sql) => parseCreateIndex(sql));
    for (const column of this.table.columns) this.sources.set(column.name, column.name);
  }

  hasColumn(name: string): boolean {
    return this.table.columns.some((column) => same(column.name, name));
  }

  /** Adds the columns, table constraints and indexes of a CREATE TABLE (+ indexes) compiled by knex. */
  addFrom(definition: SqliteTableDefinition): void {
    const added = parseCreateTable(definition.createTable);
    for (const column of added.columns) {
      if (this.hasColumn(column.name)) throw new Error(`column ${column.name} already exists`);
      this.table.columns.push(column);
      this.sources.set(column.name, null);
    }
    this.table.constraints.push(...added.constraints);
    for (const sql of definition.createIndexes) {
      const index = parseCreateIndex(sql);
      index.table = this.tableName;
      this.indexes.push(index);
    }
  }

  /** Drops the column and every index and constraint that involves it. */
  dropColumn(name: string): void {
    this.column(name);
    this.table.columns = this.table.columns.filter((column) => !same(column.name, name));
    this.sources.delete([...this.sources.keys()].find((key) => same(key, name))!);
    const mentions = (expression: Expression): boolean =>
      expression.some((token) => (Array.isArray(token) ? mentions(token) : same(unquote(token), name)));
    this.table.constraints = this.table.constraints.filter((constraint) => {
      switch (constraint.type) {
        case 'CHECK':
          return !mentions(constraint.expression);
        case 'FOREIGN KEY':
          return !constraint.columns.some((column) => same(column, name));
        default:
          return !constraint.columns.some((column) => !column.expression && same(column.name as string, name));
      }
    });
    this.indexes = this.indexes.filter((index) => !index.columns.some((column) => !column.expression && same(column.name as string, name)));
  }

  alterColumn(name: string, change: SqliteColumnChange): void {
    const column = this.column(name);
    if (change.type !== undefined) column.type = change.type;
    if (change.nullable !== undefined) {
      column.constraints.notnull = change.nullable ? null : { name: null, conflict: null };
      column.constraints.null = null;
    }
    if (change.defaultExpression !== undefined) {
      column.constraints.default =
        change.defaultExpression === null ? null : { name: null, value: change.defaultExpression, expression: false };
    }
    if (change.newName !== undefined && !same(change.newName, column.name)) {
      if (this.hasColumn(change.newName)) throw new Error(`column ${change.newName} already exists`);
      // Re-keyed in place, so the copy lists columns in table order.
      const entries = [...this.sources].map(([target, source]): [string, string | null] => [target === column.name ? change.newName! : target, source]);
      this.sources.clear();
      for (const [target, source] of entries) this.sources.set(target, source);
      this.renameInConstraints(column.name, change.newName);
      column.name = change.newName;
    }
  }

  addConstraint(spec: SqliteConstraintSpec): void {
    switch (spec.kind) {
      case 'unique':
        this.table.constraints.push({ type: 'UNIQUE', name: spec.name, columns: spec.columns.map(indexedColumn), conflict: null });
        break;
      case 'primary':
        for (const column of this.table.columns) column.constraints.primary = null;
        this.table.constraints = this.table.constraints.filter((constraint) => constraint.type !== 'PRIMARY KEY');
        this.table.constraints.push({ type: 'PRIMARY KEY', name: spec.name, columns: spec.columns.map(indexedColumn), conflict: null });
        break;
      case 'check':
        this.table.constraints.push({ type: 'CHECK', name: spec.name, expression: [spec.condition] });
        break;
      case 'foreignkey':
        this.table.constraints.push({
          type: 'FOREIGN KEY',
          name: spec.name,
          columns: [...spec.columns],
          references: { table: spec.referent, columns: [...spec.remoteColumns], delete: spec.onDelete ?? null, update: spec.onUpdate ?? null, match: null, deferrable: null },
        });
        break;
    }
  }

  /** Removes a named table or column constraint; false if none has that name. */
  dropConstraint(name: string): boolean {
    const before = this.table.constraints.length;
    this.table.constraints = this.table.constraints.filter((constraint) => !(constraint.name && same(constraint.name, name)));
    let found = this.table.constraints.length !== before;
    for (const column of this.table.columns) {
      for (const key of ['primary', 'unique', 'check', 'references', 'notnull'] as const) {
        const part = column.constraints[key];
        if (part && part.name && same(part.name, name)) {
          column.constraints[key] = null;
          found = true;
        }
      }
    }
    return found;
  }

  /** Adds an index from its CREATE INDEX statement. */
  addIndex(createIndexSql: string): void {
    this.indexes.push(parseCreateIndex(createIndexSql));
  }

  dropIndex(name: string): boolean {
    const before = this.indexes.length;
    this.indexes = this.indexes.filter((index) => !same(index.index, name));
    return this.indexes.length !== before;
  }

  /** CREATE the new table, copy the rows, DROP the old one, RENAME, re-create the indexes. */
  statements(): string[] {
    const temporaryName = `_migrate_tmp_${this.tableName}`;
    const created = compileCreateTable({ ...this.table, table: temporaryName, schema: null, exists: false, temporary: false }, quote);
    const copied = [...this.sources].filter((entry): entry is [string, string] => entry[1] !== null);
    const statements = [created];
    if (copied.length > 0) {
      statements.push(
        `INSERT INTO ${quote(temporaryName)} (${copied.map(([target]) => quote(target)).join(', ')}) ` +
          `SELECT ${copied.map(([, source]) => quote(source)).join(', ')} FROM ${quote(this.tableName)}`,
      );
    }
    statements.push(`DROP TABLE ${quote(this.tableName)}`);
    statements.push(`ALTER TABLE ${quote(temporaryName)} RENAME TO ${quote(this.tableName)}`);
    for (const index of this.indexes) statements.push(compileCreateIndex({ ...index, table: this.tableName, schema: null, exists: false }, quote));
    return statements;
  }

  private column(name: string): ColumnAst {
    const column = this.table.columns.find((candidate) => same(candidate.name, name));
    if (!column) throw new Error(`no column ${name} in table ${this.tableName}`);
    return column;
  }

  private renameInConstraints(from: string, to: string): void {
    const renameIndexed = (columns: IndexedColumn[]) => {
      for (const column of columns) if (!column.expression && same(column.name as string, from)) column.name = to;
    };
    for (const constraint of this.table.constraints) {
      if (constraint.type === 'FOREIGN KEY') constraint.columns = constraint.columns.map((column) => (same(column, from) ? to : column));
      else if (constraint.type !== 'CHECK') renameIndexed(constraint.columns);
    }
    for (const index of this.indexes) renameIndexed(index.columns);
  }
}

function unquote(token: string): string {
  return token.replace(/^["`[](.*)["`\]]$/, '$1');
}
