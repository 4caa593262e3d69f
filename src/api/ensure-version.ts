import { loadProjectConfig } from './project.js';
import { bookkeepingTables, requireDatabase, withProjectDatabase } from './database.js';
import type { ProjectOptions } from './options.js';
import { ensureBookkeepingTables } from '../runtime/bookkeeping.js';
import { createOnlineChannel } from '../runtime/online-channel.js';
import { createOfflineChannel } from '../runtime/offline-channel.js';

export interface EnsureVersionOptions extends ProjectOptions {
  /** Offline mode: print the CREATE TABLE statements (result.sql); no connection is opened. */
  readonly sql?: boolean;
}

export interface EnsureVersionResult {
  /** The version table was created by this call (offline: would be, by the printed SQL). */
  readonly created: boolean;
  readonly versionTable: string;
  /** Offline mode: the SQL. */
  readonly sql?: string;
}

/** `migrate ensure-version`: creates the version (and history) table if missing. */
export async function ensureVersion(options: EnsureVersionOptions): Promise<EnsureVersionResult> {
  const config = await loadProjectConfig(options);
  if (options.sql) {
    // The same code as online, through a channel that prints; with no start revision the tables do not exist yet.
    const channel = await createOfflineChannel(requireDatabase(config), { heads: [] });
    try {
      const { versionTable, historyTable } = bookkeepingTables(config, channel.dialect);
      const created = await ensureBookkeepingTables(channel, versionTable, historyTable);
      return { created, versionTable: versionTable.name, sql: channel.text() };
    } finally {
      await channel.knex.destroy();
    }
  }
  return withProjectDatabase(config, async ({ session, versionTable, historyTable }) => {
    const created = await ensureBookkeepingTables(createOnlineChannel(session), versionTable, historyTable);
    options.log?.(created ? `Created the version table ${versionTable.name}` : `The version table ${versionTable.name} exists`);
    return { created, versionTable: versionTable.name };
  });
}

