/**
 * The programmatic API: everything the CLI can do, returning data.
 *
 * A config file imports `defineConfig` from here, so this module must stay light:
 * each command is a thin wrapper that imports its implementation (and with it knex
 * and a driver) only when called.
 */
import type * as CurrentApi from './api/current.js';
import type * as DowngradeApi from './api/downgrade.js';
import type * as EditApi from './api/edit.js';
import type * as EnsureVersionApi from './api/ensure-version.js';
import type * as InitApi from './api/init.js';
import type * as InspectApi from './api/inspect.js';
import type * as LogApi from './api/log.js';
import type * as MergeApi from './api/merge.js';
import type * as RevisionApi from './api/revision.js';
import type * as StampApi from './api/stamp.js';
import type * as UpgradeApi from './api/upgrade.js';

export { defineConfig } from './config/define.js';
export { listTemplates } from './api/list-templates.js';
export * from './errors.js';

export type { Config, ConfigContext, ConfigExport, ResolvedConfig, DialectName } from './config/types.js';
export type { Operations, BatchOperations } from './operations/types.js';
export type { Script, RevisionModule } from './script/types.js';
export type { RevisionNode, MigrationStep, StampStep, Step, Plan, VersionChange } from './graph/types.js';
export type { ProjectOptions } from './api/options.js';
export type { RevisionInfo, RevisionSummary } from './api/revision-info.js';
export type { BranchPointInfo, HeadsOptions, HistoryOptions } from './api/inspect.js';
export type { CurrentOptions, CurrentResult, CurrentRevision } from './api/current.js';
export type { RunOptions, RunResult, StepReport, OfflineRunResult } from './api/database.js';
export type { UpgradeOptions } from './api/upgrade.js';
export type { DowngradeOptions } from './api/downgrade.js';
export type { StampOptions } from './api/stamp.js';
export type { RevisionOptions, RevisionResult } from './api/revision.js';
export type { MergeOptions } from './api/merge.js';
export type { InitOptions, InitResult } from './api/init.js';
export type { EditResult } from './api/edit.js';
export type { EnsureVersionOptions, EnsureVersionResult } from './api/ensure-version.js';
export type { LogOptions, HistoryRecord } from './api/log.js';

type AnyFunction = (...args: never[]) => unknown;

/** A function that imports `name` from `load()` on its first call. */
function lazy<F extends AnyFunction>(load: () => Promise<Record<string, unknown>>, name: string): F {
  return (async (...args: Parameters<F>) => {
    const fn = (await load())[name] as (...a: Parameters<F>) => unknown;
    return fn(...args);
  }) as unknown as F;
}

export const heads = lazy<typeof InspectApi.heads>(() => import('./api/inspect.js'), 'heads');
export const branches = lazy<typeof InspectApi.branches>(() => import('./api/inspect.js'), 'branches');
export const history = lazy<typeof InspectApi.history>(() => import('./api/inspect.js'), 'history');
export const show = lazy<typeof InspectApi.show>(() => import('./api/inspect.js'), 'show');
export const current = lazy<typeof CurrentApi.current>(() => import('./api/current.js'), 'current');
export const readCurrentHeads = lazy<typeof CurrentApi.readCurrentHeads>(() => import('./api/current.js'), 'readCurrentHeads');
export const upgrade = lazy<typeof UpgradeApi.upgrade>(() => import('./api/upgrade.js'), 'upgrade');
export const downgrade = lazy<typeof DowngradeApi.downgrade>(() => import('./api/downgrade.js'), 'downgrade');
export const stamp = lazy<typeof StampApi.stamp>(() => import('./api/stamp.js'), 'stamp');
export const ensureVersion = lazy<typeof EnsureVersionApi.ensureVersion>(() => import('./api/ensure-version.js'), 'ensureVersion');
export const log = lazy<typeof LogApi.log>(() => import('./api/log.js'), 'log');
export const revision = lazy<typeof RevisionApi.revision>(() => import('./api/revision.js'), 'revision');
export const merge = lazy<typeof MergeApi.merge>(() => import('./api/merge.js'), 'merge');
export const init = lazy<typeof InitApi.init>(() => import('./api/init.js'), 'init');
export const edit = lazy<typeof EditApi.edit>(() => import('./api/edit.js'), 'edit');
