import type { Dialect, SessionQuery } from '../dialects/index.js';
import type { Statement } from '../operations/types.js';
import { statement } from './channel.js';

/** What the version table and the history table share: where they are, and whether they exist. */
export abstract class BookkeepingTable {
  constructor(
    protected readonly dialect: Dialect,
    readonly name: string,
    readonly schema?: string,
  ) {}

  /** Schema-qualified, quoted: for DDL, the run's statements and messages. */
  get qualifiedName(): string {
    const q = this.dialect.quoteIdentifier;
    return this.schema ? `${q(this.schema)}.${q(this.name)}` : q(this.name);
  }

  abstract createSql(): string;

  createStatement(): Statement {
    return statement(this.createSql());
  }

  exists(query: SessionQuery): Promise<boolean> {
    return this.dialect.tableExists(query, this.name, this.schema);
  }
}
