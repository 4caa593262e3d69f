/**
 * Dialect DDL rendering: the SQL each database needs for the ops knex's schema builder
 * lacks or gets wrong for migrations. Pure text, except where a dialect must read the
 * live schema, which goes through RenderHelpers.read (refused offline).
 */
import type { Knex } from 'knex';
import type { DialectName } from '../../config/types.js';
import type { OperationError } from '../../errors.js';
import type { AlterColumnOptions, ColumnDefault, ConstraintType, CreateIndexOptions, DropIndexOptions } from '../../operations/types.js';

export interface RenderHelpers {
  readonly knex: Knex;
  /** The op being rendered, for error messages, e.g. "alterColumn(users.name)". */
  readonly op: string;
  /** A quoted identifier; "schema.table" quotes each part. */
  quote(identifier: string): string;
  /** A SQL literal for a JS value. */
  literal(value: unknown): string;
  /** The DEFAULT expression for a value (raw as written), or null for "no default". */
  defaultExpression(value: ColumnDefault): string | null;
  /** An OperationError naming the op, what cannot be done, the way out and the revision. */
  unsupported(what: string, wayOut: string): OperationError;
  /** Reads the live database (online only); offline throws unsupported(why, wayOut). */
  read(sql: string, bindings: readonly unknown[], offline: { why: string; wayOut: string }): Promise<Record<string, unknown>[]>;
}

export interface DialectDdl {
  readonly dialect: DialectName;
  /** Whether ALTER TABLE can add/drop constraints and change columns (false: SQLite). */
  readonly altersConstraints: boolean;
  alterColumn(h: RenderHelpers, table: string, column: string, changes: AlterColumnOptions): Promise<string[]>;
  /** columns are already rendered (quoted names or expressions). */
  createIndex(h: RenderHelpers, name: string, table: string, columns: readonly string[], options: CreateIndexOptions): string;
  dropIndex(h: RenderHelpers, name: string, table: string | undefined, options: DropIndexOptions): string;
  /** `body` is e.g. `UNIQUE ("a", "b")`. */
  addConstraint(h: RenderHelpers, table: string, name: string, body: string): string;
  dropConstraint(h: RenderHelpers, name: string, table: string, type: ConstraintType | undefined): string;
  tableComment(h: RenderHelpers, table: string, comment: string | null): string[];
}
