import type { RunChannel } from './channel.js';
import { statement } from './channel.js';

/**
 * The run's transaction, as plain BEGIN/COMMIT statements through the run's channel
 * rather than knex.transaction(): a run leaves and re-enters transactions (autocommit
 * blocks, non-transactional revisions), the lock lives outside them, and offline the
 * same statements are printed.
 */
/** What must happen around the transaction's end: rows held back are written before a COMMIT, dropped on a ROLLBACK. */
export interface TransactionHooks {
  beforeCommit(): Promise<void>;
  onRollback(): void;
}

export class TransactionControl {
  private open = false;

  constructor(
    private readonly channel: RunChannel,
    private readonly hooks?: TransactionHooks,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  async begin(): Promise<void> {
    if (this.open) return;
    if (this.channel.sendsTransactions) await this.channel.send(statement(this.channel.dialect.beginStatement));
    this.open = true;
  }

  async commit(): Promise<void> {
    if (!this.open) return;
    await this.hooks?.beforeCommit();
    // Held-back version rows are checked before the COMMIT: a mismatch still rolls back.
    await this.channel.settle();
    this.open = false;
    if (this.channel.sendsTransactions) await this.channel.send(statement('COMMIT'));
  }

  /** Never throws: it runs while another error is on its way up. Offline nothing was run, so nothing is printed. */
  async rollback(): Promise<void> {
    this.hooks?.onRollback();
    this.channel.discardDeferred();
    if (!this.open) return;
    this.open = false;
    if (!this.channel.isOffline) await this.channel.send(statement('ROLLBACK')).catch(() => undefined);
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
