export { RevisionMap, type HistoryOptions, type RevisionPosition } from './revision-map.js';
export { isValidRevisionId, parseRange, type RevisionRange } from './identifiers.js';
export type { MigrationStep, Plan, RevisionNode, StampStep, Step, VersionChange } from './types.js';
