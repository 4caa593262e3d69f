import { CommandError } from '../errors.js';
import { loadProject } from './project.js';
import { printProjectPlan, runProjectPlan, type OfflineRunResult, type RunOptions, type RunResult } from './database.js';
import { parseRange, refuseOnlineRange, startRows } from '../runtime/offline-range.js';

export interface DowngradeOptions extends RunOptions {
  /** Any target form of SPEC §4: base, -1, label@-1, ae10, ...; with sql FROM:TO (required). */
  readonly target: string;
  /** Offline mode: print the SQL (result.sql) instead of running it; no connection is opened. */
  readonly sql?: boolean;
}

/** `migrate downgrade TARGET`: runs the downgrades from the current heads to TARGET. */
export async function downgrade(options: DowngradeOptions & { sql: true }): Promise<OfflineRunResult>;
export async function downgrade(options: DowngradeOptions): Promise<RunResult | OfflineRunResult>;
export async function downgrade(options: DowngradeOptions): Promise<RunResult | OfflineRunResult> {
  const range = parseRange(options.target);
  if (!options.sql) refuseOnlineRange('downgrade', options.target, range);
  else if (range.from === undefined) {
    throw new CommandError(
      `downgrade --sql needs a range FROM:TO, e.g. 'downgrade head:${options.target} --sql': offline there is no database to say where it starts`,
    );
  }
  const { config, scripts } = await loadProject(options);
  const { map } = scripts;
  const plan = (heads: readonly string[]) => map.planDowngrade(heads, range.to);
  if (!options.sql) return runProjectPlan(config, scripts, plan, options);
  return printProjectPlan(config, scripts, startRows(map, range.from), plan, options);
}
