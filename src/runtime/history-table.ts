import type { SessionQuery } from '../dialects/index.js';
import { BookkeepingTable } from './bookkeeping-table.js';
import type { Statement } from '../operations/types.js';

/** One row of the history table: a step that ran or was stamped. */
export interface HistoryEntry {
  readonly operation: 'upgrade' | 'downgrade' | 'stamp';
  /** The revision whose script ran; undefined for a stamp. */
  readonly revision?: string;
  readonly fromRevisions: readonly string[];
  readonly toRevisions: readonly string[];
  readonly message?: string;
  /** sha256 (hex) of the revision file's text. */
  readonly checksum?: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly dbUser: string;
}

/**
 * A row to append. `startedAt` absent: the database's clock when the row is written
 * (offline, where the time the file is applied is what matters). The user is always
 * the database's own idea of who runs the statement.
 */
export interface HistoryAppend extends Omit<HistoryEntry, 'startedAt' | 'dbUser'> {
  readonly startedAt?: Date;
}

/** A history row as read back, for `migrate log`. */
export interface HistoryRecord extends Omit<HistoryEntry, 'startedAt'> {
  readonly id: number;
  /** ISO-8601, UTC. */
  readonly startedAt: string;
}

interface HistoryRow {
  id: number | string;
  operation: HistoryEntry['operation'];
  revision: string | null;
  from_revisions: string;
  to_revisions: string;
  message: string | null;
  checksum: string | null;
  started_at: unknown;
  duration_ms: number | string;
  db_user: string;
}

/**
 * Our own addition to Alembic's model (SPEC §6): an append-only log of every step,
 * written in the step's transaction, so a rolled-back step leaves no row.
 */
export class HistoryTable extends BookkeepingTable {
  createSql(): string {
    const { autoIdColumn, text, timestamp } = this.dialect.types;
    return `CREATE TABLE ${this.qualifiedName} (${[
      autoIdColumn('id'),
      'operation VARCHAR(16) NOT NULL',
      'revision VARCHAR(32)',
      `from_revisions ${text} NOT NULL`,
      `to_revisions ${text} NOT NULL`,
      `message ${text}`,
      'checksum CHAR(64)',
      `started_at ${timestamp} NOT NULL`,
      'duration_ms INTEGER NOT NULL',
      'db_user VARCHAR(255) NOT NULL',
    ].join(', ')})`;
  }

  /** The INSERT of one row (spelled by hand, as the version table's: see VersionTable.changeStatement). */
  appendStatement(entry: HistoryAppend): Statement {
    return this.appendManyStatement([entry]);
  }

  /** One INSERT of several rows, in order (see HistoryBuffer). */
  appendManyStatement(entries: readonly HistoryAppend[]): Statement {
    const bindings: unknown[] = [];
    let timed = 0;
    for (const entry of entries) {
      bindings.push(
        entry.operation,
        entry.revision ?? null,
        entry.fromRevisions.length === 1 ? entry.fromRevisions[0] : entry.fromRevisions.join(','),
        entry.toRevisions.length === 1 ? entry.toRevisions[0] : entry.toRevisions.join(','),
        entry.message ?? null,
        entry.checksum ?? null,
      );
      if (entry.startedAt) {
        bindings.push(this.dialect.timestampValue(entry.startedAt));
        timed++;
      }
      bindings.push(Math.round(entry.durationMs));
    }
    // Online every row has its time, and a run's full INSERTs are one text, made once.
    if (timed === entries.length) {
      let sql = this.timedInserts.get(entries.length);
      if (sql === undefined) this.timedInserts.set(entries.length, (sql = this.insertSql(entries.map(() => true))));
      return { sql, bindings };
    }
    return { sql: this.insertSql(entries.map((entry) => entry.startedAt !== undefined)), bindings };
  }

  private readonly timedInserts = new Map<number, string>();

  private insertSql(timed: readonly boolean[]): string {
    const rows = timed.map((hasTime) => `(?, ?, ?, ?, ?, ?, ${hasTime ? '?' : this.dialect.currentTimeSql}, ?, ${this.dialect.currentUserSql})`);
    return (
      `INSERT INTO ${this.qualifiedName} (operation, revision, from_revisions, to_revisions, message, checksum, started_at, duration_ms, db_user) ` +
      `VALUES ${rows.join(', ')}`
    );
  }

  /** Newest first; [] when the table does not exist. */
  async read(query: SessionQuery, limit?: number): Promise<HistoryRecord[]> {
    if (!(await this.exists(query))) return [];
    const rows = (await query(`SELECT * FROM ${this.qualifiedName} ORDER BY id DESC${limit !== undefined ? ' LIMIT ?' : ''}`,
      limit !== undefined ? [limit] : [])) as unknown as HistoryRow[];
    return rows.map((row) => ({
      id: Number(row.id),
      operation: row.operation,
      revision: row.revision ?? undefined,
      fromRevisions: splitRevisions(row.from_revisions),
      toRevisions: splitRevisions(row.to_revisions),
      message: row.message ?? undefined,
      checksum: row.checksum ?? undefined,
      startedAt: this.dialect.readTimestamp(row.started_at),
      durationMs: Number(row.duration_ms),
      dbUser: row.db_user,
    }));
  }
}

function splitRevisions(text: string): string[] {
  return text ? text.split(',') : [];
}
