import type { RunChannel } from './channel.js';
import type { HistoryTable } from './history-table.js';
import type { VersionTable } from './version-table.js';

/**
 * Creates the version table (and the history table) where missing; true when the
 * version table was created. Offline, "missing" means the range has no start revision.
 */
export async function ensureBookkeepingTables(channel: RunChannel, versionTable: VersionTable, historyTable?: HistoryTable): Promise<boolean> {
  const created = !(await channel.tableExists(versionTable.name, versionTable.schema));
  if (created) await channel.send(versionTable.createStatement());
  if (historyTable && !(await channel.tableExists(historyTable.name, historyTable.schema))) {
    await channel.send(historyTable.createStatement());
  }
  return created;
}
