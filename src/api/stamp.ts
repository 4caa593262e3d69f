import { CommandError } from '../errors.js';
import { loadProject } from './project.js';
import { printProjectPlan, runProjectPlan, type OfflineRunResult, type RunOptions, type RunResult } from './database.js';
import { parseRange, refuseOnlineRange, startRows } from '../runtime/offline-range.js';

export interface StampOptions extends RunOptions {
  /** One or more targets; `base` clears. With sql each may be FROM:TO (the FROMs are the start rows). */
  readonly targets: readonly string[];
  /** Delete every version row first, even ones the graph does not know. */
  readonly purge?: boolean;
  /** Offline mode: print the SQL (result.sql) instead of running it; no connection is opened. */
  readonly sql?: boolean;
}

/** `migrate stamp TARGET...`: sets the version rows without running any script. */
export async function stamp(options: StampOptions & { sql: true }): Promise<OfflineRunResult>;
export async function stamp(options: StampOptions): Promise<RunResult | OfflineRunResult>;
export async function stamp(options: StampOptions): Promise<RunResult | OfflineRunResult> {
  const ranges = options.targets.map(parseRange);
  if (!options.sql) options.targets.forEach((target, i) => refuseOnlineRange('stamp', target, ranges[i]!));
  if (options.sql && options.purge) {
    throw new CommandError('stamp --purge cannot be used with --sql: purging deletes the rows the database holds, which offline mode cannot read; give the start as FROM:TO instead');
  }
  const { config, scripts } = await loadProject(options);
  const { map } = scripts;
  const targets = ranges.map((range) => range.to);
  const plan = (heads: readonly string[]) => map.planStamp(heads, targets, { purge: options.purge });
  if (!options.sql) return runProjectPlan(config, scripts, plan, options);
  const start = [...new Set(ranges.flatMap((range) => startRows(map, range.from)))];
  return printProjectPlan(config, scripts, start, plan, options);
}
