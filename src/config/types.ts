import type { Knex } from 'knex';

export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

/** What a user writes in migrate.config.ts (SPEC §2). */
export interface Config {
  url?: string;
  /** A full knex config instead of `url`. */
  knex?: Knex.Config;
  scriptLocation?: string;
  versionLocations?: string[];
  recursiveVersionLocations?: boolean;
  versionTable?: string;
  versionTableSchema?: string;
  historyTable?: string | false;
  fileTemplate?: string;
  truncateSlugLength?: number;
  timezone?: string;
  template?: string;
  transactionPerMigration?: boolean;
  lockTimeout?: number;
  postWriteHooks?: string[];
  /** Several databases, selected with -n/--name. */
  targets?: Record<string, Config>;
}

export interface ConfigContext {
  xArgs: Record<string, string>;
  name: string;
  env: NodeJS.ProcessEnv;
}

export type ConfigExport = Config | ((ctx: ConfigContext) => Config | Promise<Config>);

/** Config after loading: defaults applied, paths absolute, URL parsed. */
export interface ResolvedConfig {
  /** Absolute path of the config file, if one was loaded. */
  readonly configPath?: string;
  /** Folder the relative paths are resolved against. */
  readonly rootDir: string;
  readonly name: string;
  readonly xArgs: Readonly<Record<string, string>>;
  /** Absolute. */
  readonly scriptLocation: string;
  /** Absolute; defaults to [scriptLocation]. */
  readonly versionLocations: readonly string[];
  readonly recursiveVersionLocations: boolean;
  readonly versionTable: string;
  readonly versionTableSchema?: string;
  readonly historyTable: string | false;
  readonly fileTemplate: string;
  readonly truncateSlugLength: number;
  readonly timezone?: string;
  /** Absolute path of the revision template in use. */
  readonly template: string;
  readonly transactionPerMigration: boolean;
  readonly lockTimeout: number;
  readonly postWriteHooks: readonly string[];
  /** Undefined when neither url nor knex is given (fine for read-only commands). */
  readonly database?: DatabaseConfig;
}

export interface DatabaseConfig {
  readonly dialect: DialectName;
  /** Ready for knex(...). */
  readonly knex: Knex.Config;
  /** The URL with its password masked: postgresql://app:***@host/db. */
  readonly displayUrl: string;
}
