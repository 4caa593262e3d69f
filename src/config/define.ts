import type { ConfigExport } from './types.js';

/** Identity helper that gives migrate.config.ts its types. */
export function defineConfig<T extends ConfigExport>(config: T): T {
  return config;
}
