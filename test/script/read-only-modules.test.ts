/**
 * Read-only commands must stay light: no database driver, no knex, no TS loader
 * (esbuild, tsx) once the config is compiled. Runs the built CLI (`npm run build`)
 * with a preload that logs every module resolved through ESM (the packages the CLI
 * imports on demand, the user's modules) and every CommonJS module in require.cache
 * (the drivers). knex runs from dist/vendor/knex.cjs as a script (src/runtime/knex.ts),
 * which no module log sees: a process that loads it leaves its code cache in the cache
 * folder, so that file counts. The CLI itself is one script (dist/cli.cjs); that
 * `--version` runs none of it (nor the config or scripts code) is shown by what it
 * survives and by the code cache it does not leave.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

/** Runs the CLI in `cwd`: exit status, output, and the modules it loaded. */
function loadedBy(args: string[], cwd = project): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const log = join(cwd, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const child = spawnSync(process.execPath, ['--import', preload, MIGRATE_BIN, ...args], {
    cwd,
    env: { ...process.env, MODULE_LOG: log, MIGRATE_CACHE_DIR: join(cwd, '.cache') },
    encoding: 'utf8',
  });
  const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, modules };
}

/** The heavy modules loaded: from node_modules, and knex by its code cache (see above). */
function heavy({ modules }: { modules: string[] }, cwd = project): string[] {
  const cacheDir = join(cwd, '.cache');
  const knexCaches = existsSync(cacheDir) ? readdirSync(cacheDir).filter((file) => /^knex-.*\.v8$/.test(file)) : [];
  return [...modules, ...knexCaches.map((file) => `/node_modules/knex/ (${file})`)].filter((path) => HEAVY.test(path));
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
    expect(cold.stderr).not.toMatch(/FAILED/);
    expect(cold.status).toBe(0);
    expect(cold.modules.some((url) => /\/node_modules\/oxc-transform\//.test(url))).toBe(true);
    expect(cold.modules.filter((url) => /\/node_modules\/esbuild\//.test(url))).toEqual([]);
    const warm = loadedBy(['heads']);
    expect(warm.stdout).toBe(cold.stdout);
    // The compiled config is still imported: the log sees the warm run too.
    expect(warm.modules.some((url) => /\.cache\/[0-9a-f]+\.mjs$/.test(url))).toBe(true);
    expect(heavy(warm)).toEqual([]);
  });

  it.each(['history', 'history -v', 'heads -v', 'branches', 'show head'])(
    'warm `migrate %s` loads no driver, knex or TS loader',
    (command) => {
      loadedBy(['heads']); // compiles the config if this test runs alone
      const loaded = loadedBy(command.split(' '));
      expect(loaded.stderr).not.toMatch(/FAILED/);
      expect(loaded.status).toBe(0);
      expect(heavy(loaded)).toEqual([]);
    },
  );

  it('`migrate --version` reads neither the config nor the scripts folder: it answers beside a broken one', () => {
    const broken = mkdtempSync(join(tmpdir(), 'migrate-broken-'));
    writeFileSync(join(broken, 'migrate.config.ts'), "throw new Error('the config ran');\n");
    writeFileSync(join(broken, 'migrations'), 'not a folder');
    const loaded = loadedBy(['--version'], broken);
    expect(loaded.stderr).toBe('');
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(heavy(loaded, broken)).toEqual([]);
    // Nothing was compiled, and not even the CLI's bundle ran: it would have left its code cache.
    expect(existsSync(join(broken, '.cache')) ? readdirSync(join(broken, '.cache')) : []).toEqual([]);
    // The same folder does fail a command that needs the config: the check above can fail.
    expect(loadedBy(['heads'], broken).stderr).toMatch(/^FAILED: .*the config ran/);
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

  it('an SQLite upgrade and downgrade of op.execute steps load no knex; a batchAlterTable step does (the check can fail)', () => {
    const plain = mkdtempSync(join(tmpdir(), 'migrate-plain-'));
    try {
      writeFileSync(join(plain, 'migrate.config.ts'), "export default { url: 'sqlite:///./plain.db', scriptLocation: 'migrations' };\n");
      mkdirSync(join(plain, 'migrations'));
      const step = (id: string, down: string | null, upgrade: string, downgrade: string) =>
        writeFileSync(join(plain, 'migrations', `${id}.ts`),
          `export const revision = '${id}';\nexport const downRevision = ${JSON.stringify(down)};\n` +
            `export async function upgrade(op) { ${upgrade} }\nexport async function downgrade(op) { ${downgrade} }\n`);
      step('a1', null, "await op.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');", "await op.execute('DROP TABLE t');");
      step('b2', 'a1', "await op.execute(\"INSERT INTO t (name) VALUES ('x')\");", "await op.execute('DELETE FROM t');");
      for (const args of [['upgrade', 'head'], ['downgrade', 'base']]) {
        const run = loadedBy(args, plain);
        expect(run.stderr).not.toMatch(/FAILED/);
        expect(run.status).toBe(0);
        expect(heavy(run, plain).filter((path) => path.includes('/knex/'))).toEqual([]);
      }
      step('c3', 'b2', "await op.batchAlterTable('t', (batch) => batch.dropColumn('name'));", '');
      const rebuild = loadedBy(['upgrade', 'head'], plain);
      expect(rebuild.status).toBe(0);
      expect(heavy(rebuild, plain).join('\n')).toMatch(/node_modules\/knex\/lib\/dialects\/sqlite3\/schema\/internal\/parser/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
