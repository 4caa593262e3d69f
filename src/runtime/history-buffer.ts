import type { RunChannel } from './channel.js';
import type { HistoryAppend, HistoryTable } from './history-table.js';

/** Rows per INSERT: 900 bindings, far under SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 100;

/**
 * The run's history rows, written a hundred at a time instead of one INSERT per step:
 * at 10,000 steps the single-row INSERTs were a quarter of a PostgreSQL run. The rows
 * are written before every COMMIT (the transaction control calls flush), so each row
 * is still in its step's transaction, and a rolled-back step leaves none (discard).
 * The same buffer runs offline, so --sql prints the INSERTs where an online run sends
 * them. A migration that reads the history table during the run may not see the rows
 * of the steps since the last INSERT.
 */
export class HistoryBuffer {
  private rows: HistoryAppend[] = [];

  constructor(
    private readonly channel: RunChannel,
    private readonly table: HistoryTable | undefined,
  ) {}

  /** Holds a row; true when enough are held that the caller should flush now. */
  add(row: HistoryAppend): boolean {
    if (!this.table) return false;
    return this.rows.push(row) >= ROWS_PER_INSERT;
  }

  async flush(): Promise<void> {
    if (!this.table || this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    await this.channel.sendTogether([this.table.appendManyStatement(rows)]);
  }

  discard(): void {
    this.rows = [];
  }
}
