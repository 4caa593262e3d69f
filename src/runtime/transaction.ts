import type { Knex } from 'knex';
import type { Dialect } from '../dialects/index.js';

/**
 * The run's transaction on the session's single connection. Plain BEGIN/COMMIT
 * statements rather than knex.transaction(): a run leaves and re-enters transactions
 * (autocommit blocks, non-transactional revisions) and the lock lives outside them.
 */
export class TransactionControl {
  private open = false;

  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  async begin(): Promise<void> {
    if (this.open) return;
    await this.knex.raw(this.dialect.beginStatement);
    this.open = true;
  }

  async commit(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.knex.raw('COMMIT');
  }

  /** Never throws: it runs while another error is on its way up. */
  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.knex.raw('ROLLBACK').catch(() => undefined);
  }

  /** Runs fn in autocommit mode: commits what is open, and begins again afterwards. */
  async outside<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.open) return fn();
    await this.commit();
    try {
      return await fn();
    } finally {
      await this.begin();
    }
  }
}
