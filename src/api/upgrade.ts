import { loadProject } from './project.js';
import { refuseOffline, runProjectPlan, type RunOptions, type RunResult } from './database.js';

export interface UpgradeOptions extends RunOptions {
  /** Any target form of SPEC §4: head, heads, label@head, +2, ae10+1, ... */
  readonly target: string;
  readonly sql?: boolean;
}

/** `migrate upgrade TARGET`: runs the upgrades from the current heads to TARGET. */
export async function upgrade(options: UpgradeOptions): Promise<RunResult> {
  refuseOffline(options.sql);
  const { config, scripts } = await loadProject(options);
  return runProjectPlan(config, scripts, (heads) => scripts.map.planUpgrade(heads, options.target), options);
}
