import type { Knex } from 'knex';
import { DatabaseError } from '../errors.js';
import type { Dialect } from '../dialects/index.js';
import type { VersionChange } from '../graph/types.js';

/**
 * The version table, shaped as Alembic keeps it (`version_num VARCHAR(32) NOT NULL`,
 * primary key `<table>_pkc`), so `alembic_version` of an Alembic database is used as is.
 */
export class VersionTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
    readonly schema?: string,
  ) {}

  /** Schema-qualified, quoted: for DDL and messages. */
  get qualifiedName(): string {
    const q = this.dialect.quoteIdentifier;
    return this.schema ? `${q(this.schema)}.${q(this.name)}` : q(this.name);
  }

  createStatement(): string {
    const q = this.dialect.quoteIdentifier;
    return `CREATE TABLE ${this.qualifiedName} (version_num VARCHAR(32) NOT NULL, CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (version_num))`;
  }

  exists(bind: Knex): Promise<boolean> {
    return this.dialect.tableExists(bind, this.name, this.schema);
  }

  /** Creates the table unless it exists; true when it was created. */
  async ensure(bind: Knex): Promise<boolean> {
    if (await this.exists(bind)) return false;
    await bind.raw(this.createStatement());
    return true;
  }

  /**
   * The current heads in the order the database returns them, as Alembic reads them:
   * a few of Alembic's walks depend on it. [] when the table does not exist yet.
   */
  async read(bind: Knex): Promise<string[]> {
    if (!(await this.exists(bind))) return [];
    const rows = (await this.rows(bind).select('version_num')) as { version_num: string }[];
    return rows.map((row) => row.version_num);
  }

  /** One row change, checked as Alembic checks it: exactly one row must match. */
  async apply(bind: Knex, change: VersionChange): Promise<void> {
    if (change.kind === 'insert') {
      await this.rows(bind).insert({ version_num: change.version });
      return;
    }
    const matched =
      change.kind === 'delete'
        ? await this.rows(bind).where({ version_num: change.version }).delete()
        : await this.rows(bind).where({ version_num: change.from }).update({ version_num: change.to });
    if (Number(matched) !== 1) {
      const row = change.kind === 'delete' ? change.version : change.from;
      throw new DatabaseError(
        `The version table ${this.name} was expected to hold one row '${row}' but holds ${Number(matched)}: ` +
          "someone changed it during the run; check 'migrate current' and fix it with 'migrate stamp'",
      );
    }
  }

  private rows(bind: Knex): Knex.QueryBuilder {
    const builder = bind(this.name);
    return this.schema ? builder.withSchema(this.schema) : builder;
  }
}
