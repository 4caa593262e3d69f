/**
 * A loaded config object → ResolvedConfig: targets picked, defaults applied,
 * paths made absolute, values checked (SPEC §2).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { selfPackage } from '../package-root.js';
import type { Config, ResolvedConfig } from './types.js';
import { databaseFromKnexConfig, parseDatabaseUrl } from './url.js';

const KNOWN_KEYS: readonly (keyof Config)[] = [
  'url', 'knex', 'scriptLocation', 'versionLocations', 'recursiveVersionLocations', 'versionTable',
  'versionTableSchema', 'historyTable', 'fileTemplate', 'truncateSlugLength', 'timezone', 'template',
  'transactionPerMigration', 'lockTimeout', 'postWriteHooks', 'targets',
];

/** The revision template shipped with alembic-ts (templates/revision.ts.ejs). */
export function packagedTemplate(name: string): string {
  return resolve(selfPackage().root, 'templates', name);
}

export interface ResolveInput {
  readonly config: unknown;
  readonly configPath?: string;
  readonly rootDir: string;
  readonly name?: string;
  readonly xArgs: Record<string, string>;
  /** A config function sees the name itself, so -n without targets is its business. */
  readonly fromFunction?: boolean;
}

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const where = input.configPath ?? 'the config';
  const top = checkShape(input.config, where);
  const targets = top.targets;
  let effective: Config = { ...top };
  delete effective.targets;
  if (input.name !== undefined) {
    const names = Object.keys(targets ?? {});
    const target = targets?.[input.name];
    if (target) {
      effective = { ...effective, ...checkShape(target, `${where} (targets.${input.name})`) };
    } else if (names.length > 0 || !input.fromFunction) {
      throw new ConfigError(
        names.length > 0
          ? `No target '${input.name}' in ${where}: the targets are ${names.join(', ')}.`
          : `-n ${input.name} given but ${where} defines no targets: add targets: { ${input.name}: {...} } or drop -n.`,
      );
    }
  } else if (targets && Object.keys(targets).length > 0 && !top.url && !top.knex) {
    throw new ConfigError(
      `${where} has several targets (${Object.keys(targets).join(', ')}): pick one with -n NAME.`,
    );
  }
  return applyDefaults(effective, input, where);
}

function checkShape(value: unknown, where: string): Config {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${where} must export an object (or a function returning one), got ${describe(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (!(KNOWN_KEYS as string[]).includes(key)) {
      throw new ConfigError(`Unknown key '${key}' in ${where}; the keys are ${KNOWN_KEYS.join(', ')}.`);
    }
  }
  const config = value as Config;
  const expect = (key: keyof Config, type: string, ok: (v: unknown) => boolean): void => {
    const v = config[key];
    if (v !== undefined && !ok(v)) throw new ConfigError(`'${key}' in ${where} must be ${type}, got ${describe(v)}.`);
  };
  const isString = (v: unknown) => typeof v === 'string' && v.length > 0;
  const isStringArray = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === 'string');
  expect('url', 'a database URL string', isString);
  expect('knex', 'a knex config object', (v) => typeof v === 'object' && v !== null);
  expect('scriptLocation', 'a folder path', isString);
  expect('versionLocations', 'an array of folder paths', (v) => isStringArray(v) && (v as string[]).length > 0);
  expect('recursiveVersionLocations', 'a boolean', (v) => typeof v === 'boolean');
  expect('versionTable', 'a table name', isString);
  expect('versionTableSchema', 'a schema name', isString);
  expect('historyTable', 'a table name or false', (v) => isString(v) || v === false);
  expect('fileTemplate', 'a string such as {rev}_{slug}', isString);
  expect('truncateSlugLength', 'a positive integer', (v) => Number.isInteger(v) && (v as number) > 0);
  expect('timezone', 'an IANA time zone name', isString);
  expect('template', 'a template file path', isString);
  expect('transactionPerMigration', 'a boolean', (v) => typeof v === 'boolean');
  expect('lockTimeout', 'a number of milliseconds', (v) => typeof v === 'number' && v >= 0);
  expect('postWriteHooks', 'an array of shell commands', isStringArray);
  expect('targets', 'an object of named configs', (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  return config;
}

function applyDefaults(config: Config, input: ResolveInput, where: string): ResolvedConfig {
  const root = input.rootDir;
  const scriptLocation = resolve(root, config.scriptLocation ?? 'migrations');
  const versionLocations = (config.versionLocations ?? [config.scriptLocation ?? 'migrations']).map((p) => resolve(root, p));
  if (config.timezone !== undefined) checkTimezone(config.timezone, where);
  if (config.url && config.knex) throw new ConfigError(`${where} gives both url and knex: keep one.`);
  const database = config.knex ? databaseFromKnexConfig(config.knex) : config.url ? parseDatabaseUrl(config.url, root) : undefined;
  const userTemplate = resolve(scriptLocation, 'script.ts.ejs');
  const template = config.template
    ? resolve(root, config.template)
    : existsSync(userTemplate) ? userTemplate : packagedTemplate('revision.ts.ejs');
  return {
    configPath: input.configPath,
    rootDir: root,
    name: input.name ?? 'default',
    xArgs: { ...input.xArgs },
    scriptLocation,
    versionLocations,
    recursiveVersionLocations: config.recursiveVersionLocations ?? false,
    versionTable: config.versionTable ?? 'migrate_version',
    versionTableSchema: config.versionTableSchema,
    historyTable: config.historyTable ?? 'migrate_history',
    fileTemplate: config.fileTemplate ?? '{rev}_{slug}',
    truncateSlugLength: config.truncateSlugLength ?? 40,
    timezone: config.timezone,
    template,
    transactionPerMigration: config.transactionPerMigration ?? false,
    lockTimeout: config.lockTimeout ?? 60_000,
    postWriteHooks: config.postWriteHooks ?? [],
    database,
  };
}

function checkTimezone(timezone: string, where: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError(`Unknown timezone '${timezone}' in ${where}: use an IANA name such as Europe/Paris or UTC.`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  return typeof value;
}
