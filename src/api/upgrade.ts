import { loadProject } from './project.js';
import { printProjectPlan, runProjectPlan, type OfflineRunResult, type RunOptions, type RunResult } from './database.js';
import { parseRange, refuseEmptyUpgradeRange, refuseOnlineRange, startRows } from '../runtime/offline-range.js';

export interface UpgradeOptions extends RunOptions {
  /** Any target form of SPEC §4: head, heads, label@head, +2, ae10+1, ...; with sql also FROM:TO. */
  readonly target: string;
  /** Offline mode: print the SQL (result.sql) instead of running it; no connection is opened. */
  readonly sql?: boolean;
}

/** `migrate upgrade TARGET`: runs the upgrades from the current heads to TARGET. */
export async function upgrade(options: UpgradeOptions & { sql: true }): Promise<OfflineRunResult>;
export async function upgrade(options: UpgradeOptions): Promise<RunResult | OfflineRunResult>;
export async function upgrade(options: UpgradeOptions): Promise<RunResult | OfflineRunResult> {
  const range = parseRange(options.target);
  if (!options.sql) refuseOnlineRange('upgrade', options.target, range);
  const { config, scripts } = await loadProject(options);
  const { map } = scripts;
  if (!options.sql) return runProjectPlan(config, scripts, (heads) => map.planUpgrade(heads, range.to), options);
  const start = startRows(map, range.from);
  return printProjectPlan(config, scripts, start, (heads) => {
    const plan = map.planUpgrade(heads, range.to);
    refuseEmptyUpgradeRange(map, range, heads, plan);
    return plan;
  }, options);
}
