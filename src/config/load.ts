/**
 * Finds migrate.config.ts (or .js/.mjs), loads the .env beside it, evaluates it
 * and resolves it (SPEC §2). A .js/.mjs config is imported natively; a .ts one
 * through the cached compiler, so a warm run loads no TypeScript tooling.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, MigrateError, ScriptError } from '../errors.js';
import { importFile } from '../script/loader/index.js';
import { resolveConfig } from './resolve.js';
import type { ConfigContext, ResolvedConfig } from './types.js';
import { importModule } from '../import-module.js';

export const CONFIG_FILE_NAMES = ['migrate.config.ts', 'migrate.config.js', 'migrate.config.mjs'] as const;

export interface LoadConfigOptions {
  /** -c/--config; default $MIGRATE_CONFIG, then ./migrate.config.{ts,js,mjs}. */
  config?: string;
  /** -n/--name: the entry of `targets`. */
  name?: string;
  /** -x key=value pairs. */
  xArgs?: Record<string, string>;
  cwd?: string;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const xArgs = options.xArgs ?? {};
  const configPath = findConfigFile(cwd, options.config ?? (process.env.MIGRATE_CONFIG || undefined));
  const rootDir = dirname(configPath);
  await loadDotenv(rootDir);

  const namespace = await importConfig(configPath);
  if (!('default' in namespace) || namespace.default === undefined) {
    throw new ConfigError(`${configPath} has no default export: end it with export default defineConfig({ ... }).`);
  }
  let exported: unknown = namespace.default;
  const fromFunction = typeof exported === 'function';
  if (fromFunction) {
    const context: ConfigContext = { xArgs: { ...xArgs }, name: options.name ?? 'default', env: process.env };
    try {
      exported = await (exported as (ctx: ConfigContext) => unknown)(context);
    } catch (error) {
      throw configThrew(configPath, error);
    }
  }
  return resolveConfig({ config: exported, configPath, rootDir, name: options.name, xArgs, fromFunction });
}

/** The config file to load, absolute; ConfigError saying where we looked when there is none. */
export function findConfigFile(cwd: string, given?: string): string {
  if (given) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new ConfigError(`Config file ${path} not found: check -c/--config or $MIGRATE_CONFIG.`);
    return path;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const path = join(cwd, name);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    `No config file: looked for ${CONFIG_FILE_NAMES.join(', ')} in ${cwd}. Run \`migrate init\` to create one, or pass -c PATH.`,
  );
}

async function loadDotenv(dir: string): Promise<void> {
  const path = join(dir, '.env');
  if (!existsSync(path)) return;
  const dotenv = await importModule<typeof import('dotenv')>('dotenv');
  // override: false — real environment variables win over .env.
  const result = dotenv.config({ path, override: false, quiet: true });
  if (result.error) throw new ConfigError(`Cannot read ${path}: ${result.error.message}`);
}

async function importConfig(configPath: string): Promise<Record<string, unknown>> {
  try {
    return await importFile(configPath);
  } catch (error) {
    if (error instanceof ScriptError) {
      // A syntax error found while compiling the TypeScript: already file:line: message.
      throw new ConfigError(`Config ${error.message}`, { cause: error });
    }
    if (error instanceof MigrateError) throw error;
    const syntax = syntaxErrorLocation(error, configPath);
    if (syntax) throw new ConfigError(`Config ${syntax}`, { cause: error });
    throw configThrew(configPath, error);
  }
}

function configThrew(configPath: string, error: unknown): ConfigError {
  if (error instanceof MigrateError) return new ConfigError(`${configPath}: ${error.message}`, { cause: error });
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : error.name + ': '}${error.message}` : String(error);
  return new ConfigError(`Config ${configPath} failed while loading: ${message}`, { cause: error });
}

/** Node reports an ESM syntax error's place as the first line of the stack: `file:///x.mjs:3`. */
function syntaxErrorLocation(error: unknown, fallbackFile: string): string | undefined {
  if (!(error instanceof SyntaxError)) return undefined;
  const place = /^(file:\/\/\S+?|\/\S+?):(\d+)\s*$/m.exec(error.stack ?? '');
  if (!place) return `${fallbackFile}: ${error.message}`;
  const file = place[1]!.startsWith('file:') ? fileURLToPath(place[1]!) : place[1]!;
  return `${file}:${place[2]}: ${error.message}`;
}
