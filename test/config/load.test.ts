import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { packagedTemplate } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/errors.js';

let dir: string;
const savedEnv = { ...process.env };

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-config-'));
  process.env.MIGRATE_CACHE_DIR = join(dir, '.cache');
  delete process.env.MIGRATE_CONFIG;
});
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('finding the config', () => {
  it('reads ./migrate.config.ts and applies the defaults of SPEC §2', async () => {
    write({ 'migrate.config.ts': `const url: string = 'sqlite:///app.db';\nexport default { url };\n` });
    const config = await loadConfig({ cwd: dir });
    expect(config).toMatchObject({
      configPath: join(dir, 'migrate.config.ts'),
      rootDir: dir,
      scriptLocation: join(dir, 'migrations'),
      versionLocations: [join(dir, 'migrations')],
      recursiveVersionLocations: false,
      versionTable: 'migrate_version',
      historyTable: 'migrate_history',
      fileTemplate: '{rev}_{slug}',
      truncateSlugLength: 40,
      transactionPerMigration: false,
      lockTimeout: 60_000,
      postWriteHooks: [],
      template: packagedTemplate('revision.ts.ejs'),
    });
    expect(config.database?.knex.connection).toEqual({ filename: join(dir, 'app.db') });
  });

  it('falls back to .js and .mjs, and takes -c and $MIGRATE_CONFIG', async () => {
    write({
      'package.json': '{"type":"module"}',
      'migrate.config.js': `export default { versionTable: 'from_js' };\n`,
      'other/custom.mjs': `export default { versionTable: 'from_mjs', scriptLocation: 'db' };\n`,
    });
    expect((await loadConfig({ cwd: dir })).versionTable).toBe('from_js');
    const custom = await loadConfig({ cwd: dir, config: 'other/custom.mjs' });
    expect(custom.versionTable).toBe('from_mjs');
    expect(custom.scriptLocation).toBe(join(dir, 'other', 'db')); // relative to the config file
    process.env.MIGRATE_CONFIG = join(dir, 'other/custom.mjs');
    expect((await loadConfig({ cwd: dir })).versionTable).toBe('from_mjs');
  });

  it('says where it looked and suggests init when there is no config', async () => {
    const error = await configError(loadConfig({ cwd: dir }));
    expect(error.message).toContain(dir);
    expect(error.message).toContain('migrate.config.ts, migrate.config.js, migrate.config.mjs');
    expect(error.message).toContain('migrate init');
    expect((await configError(loadConfig({ cwd: dir, config: 'nope.ts' }))).message).toContain(join(dir, 'nope.ts'));
  });
});

describe('evaluating the config', () => {
  it('accepts defineConfig from alembic-ts', async () => {
    write({ 'migrate.config.ts': `import { defineConfig } from 'alembic-ts';\nexport default defineConfig({ versionTable: 'defined' });\n` });
    expect((await loadConfig({ cwd: dir })).versionTable).toBe('defined');
  });

  it('calls an async function with xArgs, name and env', async () => {
    process.env.MIGRATE_TEST_TABLE = 'from_env';
    write({
      'migrate.config.ts': `import type { ConfigContext } from 'alembic-ts';
export default async (ctx: ConfigContext) => ({
  versionTable: ctx.env.MIGRATE_TEST_TABLE,
  historyTable: ctx.xArgs.history + '_' + ctx.name,
});\n`,
    });
    const config = await loadConfig({ cwd: dir, xArgs: { history: 'h' }, name: 'blue' });
    expect(config.versionTable).toBe('from_env');
    expect(config.historyTable).toBe('h_blue');
    expect(config.name).toBe('blue');
    expect(config.xArgs).toEqual({ history: 'h' });
  });

  it('loads .env beside the config first; real environment variables win', async () => {
    process.env.MIGRATE_TEST_REAL = 'real';
    write({
      '.env': 'MIGRATE_TEST_DOTENV=dotenv\nMIGRATE_TEST_REAL=from_file\n',
      'migrate.config.ts': `export default { versionTable: process.env.MIGRATE_TEST_DOTENV, historyTable: process.env.MIGRATE_TEST_REAL };\n`,
    });
    const config = await loadConfig({ cwd: dir });
    expect(config.versionTable).toBe('dotenv');
    expect(config.historyTable).toBe('real');
  });

  it.each(['module', 'commonjs'])('imports other .ts files of a "type": "%s" project', async (type) => {
    write({
      'package.json': JSON.stringify({ type }),
      'src/db/names.ts': `export const tableName = (base: string): string => 'app_' + base;\n`,
      'migrate.config.ts': `import { tableName } from './src/db/names';\nexport default { versionTable: tableName('version') };\n`,
    });
    expect((await loadConfig({ cwd: dir })).versionTable).toBe('app_version');
  });

  it('sees an edit to an imported file on the next load (the cache checks dependencies)', async () => {
    write({
      'names.ts': `export const name = 'first';\n`,
      'migrate.config.ts': `import { name } from './names.ts';\nexport default { versionTable: name };\n`,
    });
    expect((await loadConfig({ cwd: dir })).versionTable).toBe('first');
    // A fresh import needs a fresh module URL (the config's text changed too, in this process); a
    // changed dependency alone would also give a new cache entry.
    write({
      'names.ts': `export const name = 'second';\n`,
      'migrate.config.ts': `import { name } from './names.ts';\nexport default { versionTable: name }; // v2\n`,
    });
    const { importFile } = await import('../../src/script/loader/index.js');
    const reloaded = await importFile(join(dir, 'migrate.config.ts'));
    expect((reloaded.default as { versionTable: string }).versionTable).toBe('second');
  });
});

describe('targets (-n)', () => {
  const targets = `export default {
  versionTable: 'shared',
  targets: {
    primary: { url: 'postgresql://app:pw@db/primary' },
    analytics: { url: 'mysql://app@db/analytics', versionTable: 'analytics_version' },
  },
};\n`;

  it('merges the named target over the top-level keys', async () => {
    write({ 'migrate.config.ts': targets });
    const primary = await loadConfig({ cwd: dir, name: 'primary' });
    expect(primary.versionTable).toBe('shared');
    expect(primary.database?.displayUrl).toBe('postgresql://app:***@db/primary');
    const analytics = await loadConfig({ cwd: dir, name: 'analytics' });
    expect(analytics.versionTable).toBe('analytics_version');
    expect(analytics.database?.dialect).toBe('mysql');
  });

  it('lists the names for an unknown one, and asks for one when none is given', async () => {
    write({ 'migrate.config.ts': targets });
    expect((await configError(loadConfig({ cwd: dir, name: 'nope' }))).message).toMatch(/No target 'nope'.*primary, analytics/);
    expect((await configError(loadConfig({ cwd: dir }))).message).toMatch(/several targets \(primary, analytics\): pick one with -n/);
  });
});

describe('config errors', () => {
  it('a config that throws: its message and the file', async () => {
    write({ 'migrate.config.ts': `if (!process.env.NOPE_URL) throw new Error('set NOPE_URL');\nexport default {};\n` });
    const error = await configError(loadConfig({ cwd: dir }));
    expect(error.message).toContain('set NOPE_URL');
    expect(error.message).toContain(join(dir, 'migrate.config.ts'));
  });

  it('a config function that throws', async () => {
    write({ 'migrate.config.ts': `export default () => { throw new TypeError('bad x'); };\n` });
    expect((await configError(loadConfig({ cwd: dir }))).message).toMatch(/migrate\.config\.ts.*TypeError: bad x/);
  });

  it('a TypeScript syntax error: file:line', async () => {
    write({ 'migrate.config.ts': `const a = 1;\nexport default { url: 'x' ;\n` });
    const error = await configError(loadConfig({ cwd: dir }));
    expect(error.message).toContain(`${join(dir, 'migrate.config.ts')}:2:`);
  });

  it('a JavaScript syntax error: file:line', async () => {
    write({ 'migrate.config.mjs': `const a = 1;\n\nexport default { a: };\n` });
    const error = await configError(loadConfig({ cwd: dir }));
    expect(error.message).toContain(`${join(dir, 'migrate.config.mjs')}:3`);
  });

  it('no default export, unknown keys, wrong types, both url and knex, bad timezone', async () => {
    const cases: [string, RegExp][] = [
      [`export const url = 'x';\n`, /no default export/],
      [`export default { scriptLocations: 'x' };\n`, /Unknown key 'scriptLocations'/],
      [`export default { lockTimeout: 'soon' };\n`, /'lockTimeout'.*must be a number/],
      [`export default { url: 'sqlite://', knex: { client: 'pg' } };\n`, /both url and knex/],
      [`export default { timezone: 'Mars/Olympus' };\n`, /Unknown timezone 'Mars\/Olympus'/],
      [`export default { url: 'oracle://x/y' };\n`, /Unsupported database URL scheme 'oracle'/],
      [`export default 42;\n`, /must export an object/],
    ];
    for (const [text, pattern] of cases) {
      write({ 'migrate.config.ts': text });
      expect((await configError(loadConfig({ cwd: dir }))).message).toMatch(pattern);
    }
  });
});
