import { loadProject } from './project.js';
import { refuseOffline, runProjectPlan, type RunOptions, type RunResult } from './database.js';

export interface DowngradeOptions extends RunOptions {
  /** Any target form of SPEC §4: base, -1, label@-1, ae10, ... */
  readonly target: string;
  readonly sql?: boolean;
}

/** `migrate downgrade TARGET`: runs the downgrades from the current heads to TARGET. */
export async function downgrade(options: DowngradeOptions): Promise<RunResult> {
  refuseOffline(options.sql);
  const { config, scripts } = await loadProject(options);
  return runProjectPlan(config, scripts, (heads) => scripts.map.planDowngrade(heads, options.target), options);
}
