// The programmatic API: everything the CLI can do, returning data.
export { defineConfig } from './config/define.js';
export type { Config, ConfigContext, ConfigExport, ResolvedConfig, DialectName } from './config/types.js';
export type { Operations } from './operations/types.js';
export type { Script, RevisionModule } from './script/types.js';
export type { RevisionNode, MigrationStep, StampStep, Step, Plan, VersionChange } from './graph/types.js';
export * from './errors.js';
