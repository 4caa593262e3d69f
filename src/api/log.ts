import { loadProjectConfig } from './project.js';
import { withProjectDatabase } from './database.js';
import type { ProjectOptions } from './options.js';
import type { HistoryRecord } from '../runtime/history-table.js';
import { CommandError } from '../errors.js';

export type { HistoryRecord } from '../runtime/history-table.js';

export interface LogOptions extends ProjectOptions {
  /** Only the newest N rows. */
  readonly limit?: number;
}

/** `migrate log`: the history table, newest first ([] when there is none yet). */
export async function log(options: LogOptions): Promise<HistoryRecord[]> {
  const config = await loadProjectConfig(options);
  if (config.historyTable === false) {
    throw new CommandError('The history table is turned off (historyTable: false in the config): there is no log to show');
  }
  return withProjectDatabase(config, ({ session, historyTable }) => historyTable!.read(session.query, options.limit));
}
