export { loadScriptDirectory } from './directory.js';
export { parseScriptHeader, REVISION_ID, type ScriptHeader } from './header.js';
export { listRevisionFiles, isRevisionFileName, scanScripts } from './scan.js';
export { importFile, importFiles } from './loader/index.js';
export type { Script, RevisionModule, ScriptDirectory } from './types.js';
