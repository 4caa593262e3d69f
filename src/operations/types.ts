/**
 * The `op` object passed to upgrade()/downgrade() (SPEC §8), and the contract between
 * the operations and the runtime: ops turn each call into SQL statements and hand
 * them to a StatementSink, which executes them online or prints them offline. So the
 * offline output is by construction what an online run executes.
 */
import type { Knex } from 'knex';
import type { DialectName } from '../config/types.js';

/**
 * One SQL statement. `sql` uses knex's `?` placeholders when `bindings` is non-empty;
 * with no bindings it is the final text (run it as is: see executeStatement).
 */
export interface Statement {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/** Where op's SQL goes: online it executes on the current connection/transaction; offline it prints. */
export interface StatementSink {
  /** Resolves once the statement ran (online) or was printed (offline); the value is not the op API's business. */
  run(statement: Statement): Promise<unknown>;
}

export interface OperationContext {
  readonly dialect: DialectName;
  /** A knex instance of the right client (online: connected; offline: never connected), for builders/toSQL. */
  readonly knex: Knex;
  readonly sink: StatementSink;
  readonly isOffline: boolean;
  readonly xArgs: Readonly<Record<string, string>>;
  readonly tag?: string;
  /** The live connection or transaction (online). Throws OperationError offline. */
  getBind(): Knex | Knex.Transaction;
  /** Runs fn outside any transaction: the runtime commits, runs fn, begins again. */
  autocommitBlock(fn: () => Promise<void>): Promise<void>;
  /** Names the revision being run, for error messages. */
  readonly revision?: string;
}

/**
 * A column default: a JS value becomes a literal; `knex.raw('CURRENT_TIMESTAMP')` is
 * used as written; `null` removes the default.
 */
export type ColumnDefault = string | number | boolean | Knex.Raw | null;

export interface AlterColumnOptions {
  /** true → NULL allowed, false → NOT NULL. */
  readonly nullable?: boolean;
  /** The new SQL type as the database spells it, e.g. 'VARCHAR(100)', 'BIGINT'. */
  readonly type?: string;
  readonly default?: ColumnDefault;
  readonly newName?: string;
  /** Column comment (PostgreSQL, MySQL); `null` removes it. Ignored on SQLite. */
  readonly comment?: string | null;
  /** PostgreSQL: `ALTER COLUMN … TYPE … USING <expr>`. */
  readonly using?: string;
  /**
   * MySQL rewrites the whole column definition for type/nullable/comment changes.
   * Online the current definition is read from information_schema; offline give it here
   * (existingType is required offline; existingNullable defaults to true, as in Alembic).
   */
  readonly existingType?: string;
  readonly existingNullable?: boolean;
  readonly existingDefault?: ColumnDefault;
  readonly existingComment?: string | null;
}

export interface CreateIndexOptions {
  readonly unique?: boolean;
  /** Partial index predicate, raw SQL (PostgreSQL, SQLite; MySQL refuses). */
  readonly where?: string;
  /** PostgreSQL CREATE INDEX CONCURRENTLY (wrap in op.autocommitBlock); ignored elsewhere. */
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

export interface DropIndexOptions {
  /** PostgreSQL DROP INDEX CONCURRENTLY (wrap in op.autocommitBlock); ignored elsewhere. */
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
}

export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

export interface ForeignKeyOptions {
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
}

export type ConstraintType = 'foreignkey' | 'unique' | 'check' | 'primary';

/** An index column: a column name, or an expression as knex.raw(...). */
export type IndexColumn = string | Knex.Raw;

/** Anything execute() accepts: SQL text, or a knex query/raw/schema builder. */
export type Executable = string | Knex.QueryBuilder | Knex.Raw | Knex.SchemaBuilder;

export interface BatchOptions {
  /**
   * SQLite: 'auto' (default) rebuilds the table only when an op needs it; 'always'
   * rebuilds; 'never' refuses ops that need a rebuild. Other databases run each op
   * as a plain ALTER and ignore this.
   */
  readonly recreate?: 'auto' | 'always' | 'never';
  /**
   * SQLite: the table's current definition, for offline mode (where the live table
   * cannot be read). Written as for createTable; indexes declared here are kept.
   */
  readonly copyFrom?: (table: Knex.CreateTableBuilder) => void;
}

/** The ops of batchAlterTable: the table-level ops with the table already chosen. */
export interface BatchOperations {
  addColumn(build: (table: Knex.AlterTableBuilder) => void): void;
  dropColumn(column: string): void;
  alterColumn(column: string, changes: AlterColumnOptions): void;
  createIndex(name: string, columns: readonly IndexColumn[], options?: CreateIndexOptions): void;
  dropIndex(name: string, options?: DropIndexOptions): void;
  createUniqueConstraint(name: string, columns: readonly string[]): void;
  createForeignKey(name: string, referent: string, localColumns: readonly string[], remoteColumns: readonly string[], options?: ForeignKeyOptions): void;
  createCheckConstraint(name: string, condition: string): void;
  createPrimaryKey(name: string, columns: readonly string[]): void;
  dropConstraint(name: string, options?: { type?: ConstraintType }): void;
}

/** The `op` argument of upgrade()/downgrade(). Every op resolves once its SQL has run (or printed). */
export interface Operations {
  createTable(name: string, build: (table: Knex.CreateTableBuilder) => void, options?: { ifNotExists?: boolean }): Promise<void>;
  dropTable(name: string, options?: { ifExists?: boolean }): Promise<void>;
  renameTable(oldName: string, newName: string): Promise<void>;
  /** Adds the column(s) declared in build, e.g. `(t) => t.string('phone', 20).nullable()`. */
  addColumn(table: string, build: (table: Knex.AlterTableBuilder) => void): Promise<void>;
  dropColumn(table: string, column: string): Promise<void>;
  alterColumn(table: string, column: string, changes: AlterColumnOptions): Promise<void>;
  createIndex(name: string, table: string, columns: readonly IndexColumn[], options?: CreateIndexOptions): Promise<void>;
  /** `table` is needed on MySQL (DROP INDEX … ON table). */
  dropIndex(name: string, table?: string, options?: DropIndexOptions): Promise<void>;
  createUniqueConstraint(name: string, table: string, columns: readonly string[]): Promise<void>;
  createForeignKey(
    name: string,
    source: string,
    referent: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options?: ForeignKeyOptions,
  ): Promise<void>;
  /** `condition` is raw SQL, e.g. `'total >= 0'`. */
  createCheckConstraint(name: string, table: string, condition: string): Promise<void>;
  createPrimaryKey(name: string, table: string, columns: readonly string[]): Promise<void>;
  /** MySQL needs `type`; PostgreSQL drops any constraint by name. */
  dropConstraint(name: string, table: string, options?: { type?: ConstraintType }): Promise<void>;
  /** `null` removes the comment. No-op on SQLite, which has no comments. */
  createTableComment(table: string, comment: string | null): Promise<void>;
  /** Runs SQL text (with optional `?` bindings) or a knex query builder / raw / schema builder. */
  execute(sql: Executable, bindings?: readonly unknown[]): Promise<void>;
  bulkInsert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /** knex's alterTable. Calls that need knex to read the live table are refused (use the dedicated op). */
  alterTable(table: string, build: (table: Knex.AlterTableBuilder) => void): Promise<void>;
  /** Several changes to one table; on SQLite, a copy-and-rename rebuild where ALTER cannot. */
  batchAlterTable(table: string, build: (batch: BatchOperations) => void | Promise<void>, options?: BatchOptions): Promise<void>;
  /** Runs fn outside the migration's transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE … ADD VALUE). */
  autocommitBlock(fn: () => Promise<void>): Promise<void>;
  /** The live knex transaction or connection; throws OperationError offline. */
  getBind(): Knex | Knex.Transaction;
  /** The knex instance, for building queries to pass to execute(). */
  readonly knex: Knex;
  readonly dialect: DialectName;
  readonly isOffline: boolean;
  readonly xArgs: Readonly<Record<string, string>>;
  readonly tag?: string;
}
