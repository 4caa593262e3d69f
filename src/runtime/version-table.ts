import { DatabaseError } from '../errors.js';
import type { SessionQuery } from '../dialects/index.js';
import { BookkeepingTable } from './bookkeeping-table.js';
import type { VersionChange } from '../graph/types.js';
import type { Statement } from '../operations/types.js';
import type { RunChannel } from './channel.js';

/**
 * The version table did not hold the row a step changes. Checked when the change has
 * run, which on PostgreSQL may be during the next step's first statement: the runner
 * reports it as is, not as that step's failure.
 */
export class VersionTableMismatch extends DatabaseError {}

/**
 * The version table, shaped as Alembic keeps it (`version_num VARCHAR(32) NOT NULL`,
 * primary key `<table>_pkc`), so `alembic_version` of an Alembic database is used as is.
 */
export class VersionTable extends BookkeepingTable {
  createSql(): string {
    const q = this.dialect.quoteIdentifier;
    return `CREATE TABLE ${this.qualifiedName} (version_num VARCHAR(32) NOT NULL, CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (version_num))`;
  }

  /**
   * The current heads in the order the database returns them, as Alembic reads them:
   * a few of Alembic's walks depend on it. [] when the table does not exist yet.
   */
  async read(query: SessionQuery): Promise<string[]> {
    if (!(await this.exists(query))) return [];
    const rows = await query(`SELECT version_num FROM ${this.qualifiedName}`);
    return rows.map((row) => String(row.version_num));
  }

  /**
   * The statement of one row change. Spelled here rather than through knex's builder:
   * a 10,000-step offline run builds 10,000 of them, and the text is trivial.
   */
  changeStatement(change: VersionChange): Statement {
    const sql = (this.changeSql ??= changeSqlOf(this.qualifiedName));
    if (change.kind === 'insert') return { sql: sql.insert, bindings: [change.version] };
    if (change.kind === 'delete') return { sql: sql.delete, bindings: [change.version] };
    return { sql: sql.update, bindings: [change.to, change.from] };
  }

  /** The three texts, spelled once per run rather than once per step. */
  private changeSql?: ReturnType<typeof changeSqlOf>;

  /**
   * One row change through the run's channel, checked as Alembic checks it online:
   * exactly one row must match (offline nothing can be checked).
   */
  async apply(channel: RunChannel, change: VersionChange): Promise<void> {
    await this.applyStep(channel, [change]);
    await channel.settle();
  }

  /**
   * A step's row changes, sent together: on PostgreSQL in the round trip of the next
   * statement (see RunChannel.sendTogether), and checked as apply() checks when they
   * have run. Undefined when they have run already (see RunChannel.sendTogether).
   */
  applyStep(channel: RunChannel, changes: readonly VersionChange[]): Promise<void> | undefined {
    return channel.sendTogether(
      changes.map((change) => this.changeStatement(change)),
      (matched) => changes.forEach((change, index) => this.checkMatched(change, matched[index])),
    );
  }

  private checkMatched(change: VersionChange, matched: number | undefined): void {
    if (change.kind === 'insert' || matched === undefined || matched === 1) return;
    const row = change.kind === 'delete' ? change.version : change.from;
    throw new VersionTableMismatch(
      `The version table ${this.name} was expected to hold one row '${row}' but holds ${matched}: ` +
        "someone changed it during the run; check 'migrate current' and fix it with 'migrate stamp'",
    );
  }
}

function changeSqlOf(table: string) {
  return {
    insert: `INSERT INTO ${table} (version_num) VALUES (?)`,
    delete: `DELETE FROM ${table} WHERE version_num = ?`,
    update: `UPDATE ${table} SET version_num = ? WHERE version_num = ?`,
  };
}
