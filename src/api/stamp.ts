import { loadProject } from './project.js';
import { refuseOffline, runProjectPlan, type RunOptions, type RunResult } from './database.js';

export interface StampOptions extends RunOptions {
  /** One or more targets; `base` clears. */
  readonly targets: readonly string[];
  /** Delete every version row first, even ones the graph does not know. */
  readonly purge?: boolean;
  readonly sql?: boolean;
}

/** `migrate stamp TARGET...`: sets the version rows without running any script. */
export async function stamp(options: StampOptions): Promise<RunResult> {
  refuseOffline(options.sql);
  const { config, scripts } = await loadProject(options);
  return runProjectPlan(config, scripts, (heads) => scripts.map.planStamp(heads, options.targets, { purge: options.purge }), options);
}
