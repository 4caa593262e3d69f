import { loadProjectConfig } from './project.js';
import { refuseOffline, withProjectDatabase } from './database.js';
import type { ProjectOptions } from './options.js';

export interface EnsureVersionOptions extends ProjectOptions {
  readonly sql?: boolean;
}

export interface EnsureVersionResult {
  /** The version table was created by this call. */
  readonly created: boolean;
  readonly versionTable: string;
}

/** `migrate ensure-version`: creates the version (and history) table if missing. */
export async function ensureVersion(options: EnsureVersionOptions): Promise<EnsureVersionResult> {
  refuseOffline(options.sql);
  const config = await loadProjectConfig(options);
  return withProjectDatabase(config, async ({ session, versionTable, historyTable }) => {
    const created = await versionTable.ensure(session.knex);
    if (historyTable) await historyTable.ensure(session.knex);
    options.log?.(created ? `Created the version table ${versionTable.name}` : `The version table ${versionTable.name} exists`);
    return { created, versionTable: versionTable.name };
  });
}
