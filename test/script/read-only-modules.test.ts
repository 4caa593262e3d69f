/**
 * Read-only commands must stay light: no database driver, no knex, no TS loader
 * (esbuild, tsx) once the config is compiled. Runs the built CLI (`npm run build`)
 * with a preload that logs every module resolved through ESM and every CommonJS
 * module in require.cache.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATE_BIN } from '../support/cli.js';

const HEAVY = /\/node_modules\/(?:knex|pg|pg-[\w-]+|mysql2|better-sqlite3|esbuild|@esbuild|tsx|ejs)\//;
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

/** Runs the CLI and returns its exit status, stdout and the modules it loaded. */
function loadedBy(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const log = join(project, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const child = spawnSync(process.execPath, ['--import', preload, MIGRATE_BIN, ...args], {
    cwd: project,
    env: { ...process.env, MODULE_LOG: log, MIGRATE_CACHE_DIR: join(project, '.cache') },
    encoding: 'utf8',
  });
  expect(child.stderr).not.toMatch(/FAILED/);
  return { status: child.status, stdout: child.stdout, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
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
  it('the first run compiles the config with esbuild (the log sees it), later runs do not', () => {
    const cold = loadedBy(['heads']);
    expect(cold.status).toBe(0);
    expect(cold.modules.some((url) => /\/node_modules\/esbuild\//.test(url))).toBe(true);
    const warm = loadedBy(['heads']);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.modules.some((url) => url.includes('/script/scan.js'))).toBe(true);
    expect(warm.modules.filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it.each(['history', 'history -v', 'heads -v', 'branches', 'show head'])(
    'warm `migrate %s` loads no driver, knex or TS loader',
    (command) => {
      loadedBy(['heads']); // compiles the config if this test runs alone
      const { status, modules } = loadedBy(command.split(' '));
      expect(status).toBe(0);
      expect(modules.some((url) => url.includes('/api/inspect.js'))).toBe(true);
      expect(modules.filter((url) => HEAVY.test(url))).toEqual([]);
    },
  );

  it('`migrate --version` loads neither the config nor the scripts folder', () => {
    const { status, stdout, modules } = loadedBy(['--version']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(modules.some((url) => url.includes('/cli/main.js'))).toBe(true);
    expect(modules.filter((url) => HEAVY.test(url) || /\/(?:api|script|config\/load)\b/.test(url))).toEqual([]);
  });
});
