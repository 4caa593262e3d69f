/**
 * Read-only commands must stay light: no database driver, no knex, no TS loader
 * (esbuild, tsx) once the config is compiled. Runs the built CLI (`npm run build`)
 * with a preload that logs every module resolved through ESM and every CommonJS
 * module in require.cache. dist/ is an esbuild bundle, so which of our own sources
 * ran is read from the source maps of the dist files loaded.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN } from '../support/cli.js';

const HEAVY = /\/node_modules\/(?:knex|pg|pg-[\w-]+|mysql2|better-sqlite3|esbuild|@esbuild|tsx|ejs|oxc-transform|@oxc-transform|es-module-lexer)\//;
const REPO = resolve(import.meta.dirname, '../..');

const HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, resolved.url + '\\n');
  return resolved;
}`;

const PRELOAD = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
const required = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.MODULE_LOG, Object.keys(required).join('\\n') + '\\n'));
`;

let project: string;
let preload: string;

/** Runs the CLI: exit status, stdout, the modules it loaded and the src/ files they were built from. */
function loadedBy(args: string[]): { status: number | null; stdout: string; modules: string[]; sources: string[] } {
  const log = join(project, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const child = spawnSync(process.execPath, ['--import', preload, MIGRATE_BIN, ...args], {
    cwd: project,
    env: { ...process.env, MODULE_LOG: log, MIGRATE_CACHE_DIR: join(project, '.cache') },
    encoding: 'utf8',
  });
  expect(child.stderr).not.toMatch(/FAILED/);
  const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: child.status, stdout: child.stdout, modules, sources: sourcesOf(modules) };
}

/**
 * The heavy modules loaded: from node_modules, or bundled into a dist/ chunk, which the
 * chunk's map names as `node_modules/…`. knex runs from dist/vendor/knex.cjs as a script
 * (src/runtime/knex.ts), which no module log sees: a process that loads it leaves its
 * code cache in the cache folder (this suite's is new), so that file's presence counts.
 */
function heavy({ modules, sources }: { modules: string[]; sources: string[] }): string[] {
  const cacheDir = join(project, '.cache');
  const knexCaches = existsSync(cacheDir) ? readdirSync(cacheDir).filter((file) => /^knex-.*\.v8$/.test(file)) : [];
  return [...modules, ...sources.map((source) => `/${source}`), ...knexCaches.map((file) => `/node_modules/knex/ (${file})`)].filter((path) =>
    HEAVY.test(path),
  );
}

/** `src/…` paths of the code in the dist/ files loaded: the `sources` of each one's map. */
function sourcesOf(modules: readonly string[]): string[] {
  const dist = join(REPO, 'dist') + sep;
  const sources = new Set<string>();
  for (const module of modules) {
    const file = module.startsWith('file:') ? fileURLToPath(module) : module;
    if (!file.startsWith(dist) || !file.endsWith('.js')) continue;
    expect(existsSync(`${file}.map`), `${file} has a source map`).toBe(true);
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(relative(REPO, resolve(dirname(file), source)).split(sep).join('/'));
  }
  return [...sources];
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'migrate-light-'));
  preload = join(project, 'preload.mjs');
  writeFileSync(preload, PRELOAD);
  cpSync(join(REPO, 'migrate.config.ts'), join(project, 'migrate.config.ts'));
  cpSync(join(REPO, 'migrations'), join(project, 'migrations'), { recursive: true });
  rmSync(join(project, '.cache'), { recursive: true, force: true });
});

describe('modules loaded by read-only commands', () => {
  it('the first run compiles the config (with oxc: it imports only alembic-ts; the log sees it), later runs do not', () => {
    const cold = loadedBy(['heads']);
    expect(cold.status).toBe(0);
    expect(cold.modules.some((url) => /\/node_modules\/oxc-transform\//.test(url))).toBe(true);
    expect(cold.modules.filter((url) => /\/node_modules\/esbuild\//.test(url))).toEqual([]);
    const warm = loadedBy(['heads']);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.sources).toContain('src/script/scan.ts');
    expect(heavy(warm)).toEqual([]);
  });

  it.each(['history', 'history -v', 'heads -v', 'branches', 'show head'])(
    'warm `migrate %s` loads no driver, knex or TS loader',
    (command) => {
      loadedBy(['heads']); // compiles the config if this test runs alone
      const loaded = loadedBy(command.split(' '));
      expect(loaded.status).toBe(0);
      expect(loaded.sources).toContain('src/api/inspect.ts');
      expect(heavy(loaded)).toEqual([]);
    },
  );

  it('`migrate --version` loads neither the config nor the scripts folder', () => {
    const loaded = loadedBy(['--version']);
    const { status, stdout, sources } = loaded;
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(sources).toContain('src/cli/main.ts');
    expect(heavy(loaded)).toEqual([]);
    // stack.ts only formats a --raiseerr stack (node:module's SourceMap, on demand).
    expect(sources.filter((file) => /^src\/(?:api|script|config\/load)\b/.test(file) && file !== 'src/script/loader/stack.ts')).toEqual([]);
  });

  it('`migrate current` on SQLite loads the driver but not knex; `upgrade --sql` is seen loading knex (the check can fail)', () => {
    const current = loadedBy(['current']);
    expect(current.status).toBe(0);
    expect(heavy(current).filter((path) => path.includes('/knex/'))).toEqual([]);
    expect(heavy(current).some((path) => path.includes('/better-sqlite3/'))).toBe(true);
    const offline = loadedBy(['upgrade', 'head', '--sql']);
    expect(offline.status).toBe(0);
    expect(heavy(offline).join('\n')).toMatch(/node_modules\/knex\/ \(knex-.*\.v8\)/);
    for (const file of readdirSync(join(project, '.cache'))) if (file.startsWith('knex-')) rmSync(join(project, '.cache', file));
  });
});
