export { loadConfig, findConfigFile, CONFIG_FILE_NAMES, type LoadConfigOptions } from './load.js';
export { parseDatabaseUrl, databaseFromKnexConfig } from './url.js';
export { defineConfig } from './define.js';
export { maskPasswords } from './mask.js';
export type { Config, ConfigContext, ConfigExport, ResolvedConfig, DatabaseConfig, DialectName } from './types.js';
