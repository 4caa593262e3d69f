// The fast compile (src/script/loader/scoped.ts): which files it takes, what they become,
// and the bundler taking over for everything it does not take.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { importFile, importFiles } from '../../../src/script/loader/index.js';
import { sourceMappedStack } from '../../../src/script/loader/stack.js';
import { runCli } from '../../support/cli.js';

let dir: string;
let cacheDir: string;
const PICK = ['upgrade', 'downgrade'];

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(path, past, past);
  return path;
}

function revision(name: string, body: string, extra = ''): string {
  return write(
    `migrations/${name}.ts`,
    `import type { Operations } from 'alembic-ts';\n${extra}\nexport const revision = '${name}';\n` +
      `export async function upgrade(op: Operations): Promise<string> {\n${body}\n}\n` +
      `export async function downgrade(): Promise<string> {\n  return 'down ${name}';\n}\n`,
  );
}

const load = (paths: string[]) => importFiles(paths.map((path) => ({ path })), { cacheDir, pick: PICK });
const call = (module: Record<string, unknown>, name = 'upgrade') => (module[name] as (op?: unknown) => Promise<unknown>)(undefined);

const moduleText = (name: string) => readFileSync(join(cacheDir, name), 'utf8');

/** The cached modules by kind: scoped batches, bundler companions, whole bundles (esbuild's banner). */
function cached() {
  const modules = readdirSync(cacheDir).filter((name) => name.endsWith('.mjs'));
  const text = (name: string) => readFileSync(join(cacheDir, name), 'utf8');
  return {
    scoped: modules.filter((name) => text(name).startsWith('/*alembic-ts batch script')),
    companions: modules.filter((name) => name.endsWith('.bundled.mjs')),
    bundles: modules.filter((name) => text(name).includes('__migrateCreateRequire')),
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-scoped-'));
  cacheDir = join(dir, 'cache');
});

describe('scoped batches', () => {
  it('self-contained revisions become one module without esbuild, their exports picked', async () => {
    const a = revision('a', `  return 'up a';`);
    const b = revision('b', `  const [x] = await Promise.all([Promise.resolve('up b')]);\n  return x;`);
    const modules = await load([a, b]);
    expect(await Promise.all(modules.map((module) => call(module)))).toEqual(['up a', 'up b']);
    expect(await call(modules[1]!, 'downgrade')).toBe('down b');
    // Only the picked exports, as the bundler's batches hold.
    expect(Object.keys(modules[0]!).sort()).toEqual(['downgrade', 'upgrade']);
    expect(cached()).toEqual({ scoped: [expect.any(String)], companions: [], bundles: [] });
    // Plain function scopes: no revision awaits at its top level.
    expect(moduleText(cached().scoped[0]!)).not.toContain('await (async');
  });

  it('gives each file a block of its own, and a function scope to a file with a `var` or a name of the batch', async () => {
    const helpers = (name: string) => `const table = 't_${name}';\nfunction helper() { return table; }`;
    const a = revision('a', `  return helper();`, helpers('a'));
    const b = revision('b', `  return helper();`, helpers('b'));
    // A block would hoist these into the batch's function, shared by both files.
    const c = revision('c', `  return shared;`, `var shared = 'var c';`);
    const d = revision('d', `  return shared;`, `var shared = 'var d';`);
    // A block would let this one shadow the list the exports are collected in.
    const e = revision('e', `  return __migrateRevisions.join();`, `const __migrateRevisions = ['own list'];`);
    const modules = await load([a, b, c, d, e]);
    expect(await Promise.all(modules.map((module) => call(module)))).toEqual(['t_a', 't_b', 'var c', 'var d', 'own list']);
    const text = moduleText(cached().scoped[0]!);
    expect(text.match(/^\{$/gm)).toHaveLength(2);
    expect(text.match(/^__migrateRevisions\.push\(\(\(\) => \{$/gm)).toHaveLength(3);
  });

  it('leaves text that looks like an export or an import alone', async () => {
    const sql = 'SELECT 1\nexport const x = 1;\nimport y from "z";\n-- @decorator in a comment line';
    const a = revision('a', `  return \`${sql}\`;`);
    const b = revision('b', `  return 'export function f() {}';`);
    const [first, second] = await load([a, b]);
    expect(await call(first!)).toBe(sql);
    expect(await call(second!)).toBe('export function f() {}');
  });

  it('a missing export is undefined, for the caller to report', async () => {
    const a = revision('a', `  return 'up a';`);
    const b = write('migrations/b.ts', `export const revision = 'b';\nexport async function upgrade() { return 'up b'; }\n`);
    const [, second] = await load([a, b]);
    expect(second!.downgrade).toBeUndefined();
    expect(await call(second!)).toBe('up b');
  });

  it('sends the files it cannot take to the bundler, in their places', async () => {
    write('lib/names.ts', `export const prefix: string = 'app_';\n`);
    const plain = revision('a', `  return 'up a';`);
    const withImport = revision('b', `  return prefix + 'b';`, `import { prefix } from '../lib/names';`);
    const locating = revision('c', `  return import.meta.url.endsWith('c.ts') ? 'own url' : import.meta.url;`);
    const listExport = write(
      'migrations/d.ts',
      `async function up(): Promise<string> { return 'up d'; }\nasync function down() { return 'down d'; }\nexport { up as upgrade, down as downgrade };\n`,
    );
    const decorated = revision(
      'e',
      `  return new Box().label;`,
      `function tag(_: unknown, __: unknown) {}\nclass Box { @tag label = 'decorated'; }`,
    );
    const modules = await load([plain, withImport, locating, listExport, decorated]);
    expect(await Promise.all(modules.map((module) => call(module)))).toEqual(['up a', 'app_b', 'own url', 'up d', 'decorated']);
    expect(cached()).toMatchObject({ scoped: [expect.any(String)], companions: [expect.any(String)] });
  });

  it("a batch large enough for the thread pool: every file in its place, files of the pool's share sent to the bundler too", async () => {
    // The last files of a large batch are transformed on libuv's pool (scoped.ts's transformAll).
    const paths = Array.from({ length: 80 }, (_, index) => revision(`r${String(index).padStart(2, '0')}`, `  return 'up ${index}';`));
    write('lib/names.ts', `export const prefix: string = 'app_';\n`);
    paths.push(revision('s_import', `  return prefix + 'last';`, `import { prefix } from '../lib/names';`));
    paths.push(revision('s_broken', `  return 'never';`, `const broken: number = ;`));
    await expect(load(paths)).rejects.toThrow(/s_broken\.ts:2:24: Unexpected ";"/);
    paths.pop();
    const modules = await load(paths);
    expect(await Promise.all(modules.map((module) => call(module)))).toEqual([
      ...Array.from({ length: 80 }, (_, index) => `up ${index}`),
      'app_last',
    ]);
    expect(cached()).toMatchObject({ scoped: [expect.any(String)], companions: [expect.any(String)] });
  });

  it('maps a stack in a scoped revision back to its TypeScript line', async () => {
    const a = revision('a', `  const typed: number = 1;\n  throw new Error('boom ' + typed);`);
    const b = revision('b', `  return 'up b';`);
    const [first] = await load([a, b]);
    const error = await call(first!).catch((caught: Error) => caught);
    expect(await sourceMappedStack((error as Error).stack!)).toContain(`${a}:6:`);
  });

  it('keeps no source map per compile: the stack of a later file in the batch is mapped from its text when printed', async () => {
    const a = revision('a', `  const typed: number = 1;\n  return 'up ' + typed;`, `interface Unused { x: number }\nconst helper = (n: number): number => n;`);
    const b = revision('b', `  const label: string = 'b';\n\n  throw new Error('boom ' + label);`);
    const modules = await load([a, b]);
    const [batch] = cached().scoped;
    // What the batch keeps beside it: where each file starts, and its hash; no mappings.
    const kept = JSON.parse(moduleText(`${batch}.map`)) as { alembicTsScopes: [number, number, string, string][] };
    expect(kept.alembicTsScopes.map(([, , path]) => path)).toEqual([a, b]);
    expect(moduleText(`${batch}.map`)).not.toContain('mappings');
    const error = (await call(modules[1]!).catch((caught: Error) => caught)) as Error;
    expect(error.stack).toContain(batch);
    expect(await sourceMappedStack(error.stack!)).toContain(`${b}:7:9)`);
  });

  it('a SyntaxError raised by a revision as it loads is its error, not a reason to rebuild the batch', async () => {
    const a = revision('a', `  return 'up a';`, `const settings = JSON.parse('{');`);
    const b = revision('b', `  return 'up b';`);
    await expect(load([a, b])).rejects.toThrow(SyntaxError);
    expect(cached()).toMatchObject({ scoped: [expect.any(String)], companions: [], bundles: [] });
  });

  it('maps a stack when the cache folder has a space in its path', async () => {
    cacheDir = join(dir, 'my cache');
    const a = revision('a', `  throw new Error('boom');`);
    const b = revision('b', `  return 'up b';`);
    const [first] = await load([a, b]);
    const error = (await call(first!).catch((caught: Error) => caught)) as Error;
    expect(await sourceMappedStack(error.stack!)).toContain(`${a}:5:`);
  });

  it("maps nothing outside the files' own lines, nor after another oxc compiled the batch", async () => {
    const a = revision('a', `  throw new Error('boom');`);
    const b = revision('b', `  return 'up b';`);
    const [first] = await load([a, b]);
    const error = (await call(first!).catch((caught: Error) => caught)) as Error;
    const [batch] = cached().scoped;
    const mapPath = join(cacheDir, `${batch}.map`);
    const kept = JSON.parse(readFileSync(mapPath, 'utf8')) as { alembicTsScopes: [number, number, string, string][]; oxc: string };
    const [[, end]] = kept.alembicTsScopes;
    // A frame on the batch's own line right after the first file (its `return { … }`).
    const url = pathToFileURL(join(cacheDir, batch!)).href;
    expect(await sourceMappedStack(`    at x (${url}:${end + 2}:1)`)).toBe(`    at x (${url}:${end + 2}:1)`);
    expect(await sourceMappedStack(error.stack!)).toContain(`${a}:5:`);
    writeFileSync(mapPath, JSON.stringify({ ...kept, oxc: '0.0.1' }));
    const mapped = await sourceMappedStack(error.stack!);
    expect(mapped).not.toContain(a);
    expect(mapped).toContain(batch);
  });

  it('a file edited since its batch was compiled is left at its compiled place, never mapped to a wrong line', async () => {
    const a = revision('a', `  throw new Error('boom');`);
    const b = revision('b', `  return 'up b';`);
    const [first] = await load([a, b]);
    const error = (await call(first!).catch((caught: Error) => caught)) as Error;
    writeFileSync(a, `// a new first line\n${readFileSync(a, 'utf8')}`);
    const mapped = await sourceMappedStack(error.stack!);
    expect(mapped).not.toContain(a);
    expect(mapped).toContain(cached().scoped[0]);
  });
});

describe('lone files', () => {
  it('a config importing alembic-ts is transpiled without esbuild', async () => {
    const config = write(
      'migrate.config.ts',
      `import { defineConfig } from 'alembic-ts';\nimport { join } from 'node:path';\nexport default defineConfig({ url: 'sqlite:///' + join('x', 'y.db') });\n`,
    );
    const module = await importFile(config, { cacheDir });
    expect(module.default).toEqual({ url: 'sqlite:///x/y.db' });
    expect(cached().bundles).toEqual([]);
  });

  it('one importing a local helper is bundled', async () => {
    write('lib/url.ts', `export const url: string = 'sqlite:///helper.db';\n`);
    const config = write('migrate.config.ts', `import { url } from './lib/url';\nexport default { url };\n`);
    expect((await importFile(config, { cacheDir })).default).toEqual({ url: 'sqlite:///helper.db' });
    expect(cached().bundles).toHaveLength(1);
  });
});

// What V8 refuses to parse must be seen by Node itself: under vitest, modules go through
// Vite's own parser and transform. So these run the built CLI on a SQLite project.
// Through the CLI: each run a fresh process, as users run them (and Node, not Vite, parses the modules).
function project(extra: Record<string, string>): string {
  write('migrate.config.ts', `export default { url: 'sqlite:///${join(dir, 'app.db')}', scriptLocation: 'migrations' };\n`);
  let previous: string | null = null;
  for (const [id, topLevel] of Object.entries(extra)) {
    write(
      `migrations/${id}_step.ts`,
      `import type { Operations } from 'alembic-ts';\n${topLevel}\nexport const revision = '${id}';\n` +
        `export const downRevision: string | null = ${previous ? `'${previous}'` : 'null'};\n` +
        `export async function upgrade(op: Operations): Promise<void> {\n  await op.execute(\`CREATE TABLE \${table} (id INTEGER)\`);\n}\n` +
        `export async function downgrade(op: Operations): Promise<void> {\n  await op.execute(\`DROP TABLE \${table}\`);\n}\n`,
    );
    previous = id;
  }
  return dir;
}

function tables(): string[] {
  const db = new Database(join(dir, 'app.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't_%' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}

describe('batches V8 refuses, through the CLI', () => {
  it('an await a plain scope would read as a call (`await (…)`) gets an async scope: it runs, each file once', () => {
    const cwd = project({
      a1a1a1a1a1a1: `console.log('top a1');\nconst table = 't_a';`,
      b2b2b2b2b2b2: `console.log('top b2');\nconst table = await (async () => 't_awaited')();`,
      c3c3c3c3c3c3: `console.log('top c3');\nconst table = await [Promise.resolve('t_c')][0];`,
    });
    const run = runCli(['upgrade', 'head'], { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
    expect(run.stderr).not.toMatch(/FAILED/);
    expect(run.status).toBe(0);
    expect(tables()).toEqual(['t_a', 't_awaited', 't_c']);
    // One batch, run once: no failed first try and no file-by-file fallback.
    expect(run.stdout.match(/top \w+/g)).toEqual(['top a1', 'top b2', 'top c3']);
    const [batch] = cached().scoped.map(moduleText);
    expect(batch).toMatch(/^\/\*alembic-ts batch script, 0 bundled\*\/\(async function/);
  });

  it('a revision awaiting at its top level: rebuilt with async scopes, and it runs', () => {
    const cwd = project({
      a1a1a1a1a1a1: `const table = await Promise.resolve('t_awaited');`,
      b2b2b2b2b2b2: `const table = 't_plain';`,
    });
    const run = runCli(['upgrade', 'head'], { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
    expect(run.stderr).not.toMatch(/FAILED/);
    expect(run.status).toBe(0);
    expect(tables()).toEqual(['t_awaited', 't_plain']);
    // Rebuilt as an async batch: its files' awaits are the batch function's.
    expect(cached().scoped.map(moduleText).some((text) => /^\/\*alembic-ts batch script, 0 bundled\*\/\(async function/.test(text))).toBe(true);
  });

  it('syntax oxc lets through and Node 20 cannot parse (an accessor field): rebuilt by esbuild, and it runs', () => {
    const cwd = project({
      a1a1a1a1a1a1: `class Names { accessor first = 't_lowered'; }\nconst table = new Names().first;`,
      b2b2b2b2b2b2: `const table = 't_plain';`,
    });
    const run = runCli(['upgrade', 'head'], { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
    expect(run.stderr).not.toMatch(/FAILED/);
    expect(run.status).toBe(0);
    expect(tables()).toEqual(['t_lowered', 't_plain']);
    // The batch, whole, by esbuild (the config needs no bundler).
    expect(cached()).toMatchObject({ scoped: [], bundles: [expect.any(String)] });
  });
});

describe("V8's code cache of a batch, through the CLI", () => {
  it('is made at the first reuse of a compiled batch, used after, and made again when V8 refuses it', () => {
    const cwd = project({ a1a1a1a1a1a1: `const table = 't_a';`, b2b2b2b2b2b2: `const table = 't_b';` });
    const migrate = (...args: string[]) => {
      const run = runCli(args, { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
      expect(run.stderr).not.toMatch(/FAILED/);
      expect(run.status).toBe(0);
    };
    const codeCache = () => join(cacheDir, `${cached().scoped[0]}.v8`);
    migrate('upgrade', 'head');
    expect(cached().scoped).toHaveLength(1);
    expect(existsSync(codeCache())).toBe(false); // the compiling run pays nothing for it
    migrate('downgrade', 'base'); // the same batch, reused
    expect(tables()).toEqual([]);
    migrate('upgrade', 'head'); // calls upgrade(), which the cache lacks: made again, with both
    expect(tables()).toEqual(['t_a', 't_b']);
    const made = readFileSync(codeCache());
    const stamp = statSync(codeCache()).mtimeMs;
    migrate('downgrade', 'base');
    migrate('upgrade', 'head');
    expect(tables()).toEqual(['t_a', 't_b']);
    expect(statSync(codeCache()).mtimeMs).toBe(stamp); // accepted by V8 and holding both: not made again
    // Garbage after a valid header: V8 refuses it, the run goes on, and the cache is made again.
    writeFileSync(codeCache(), Buffer.concat([made.subarray(0, 32), Buffer.from('not a code cache')]));
    migrate('downgrade', 'base');
    expect(tables()).toEqual([]);
    expect(readFileSync(codeCache()).subarray(32).toString()).not.toBe('not a code cache');
    // The script rewritten (a new inode): its old cache is not even offered to V8, and is replaced.
    const script = join(cacheDir, cached().scoped[0]!);
    const before = readFileSync(codeCache()).subarray(0, 24);
    writeFileSync(`${script}.tmp`, readFileSync(script));
    renameSync(`${script}.tmp`, script);
    migrate('upgrade', 'head');
    expect(tables()).toEqual(['t_a', 't_b']);
    expect(readFileSync(codeCache()).subarray(0, 24).equals(before)).toBe(false);
  });

  it('is made after the steps ran: it holds the functions they called, and not the others', () => {
    const cwd = project({ a1a1a1a1a1a1: `const table = 't_a';`, b2b2b2b2b2b2: `const table = 't_b';` });
    for (const args of [['upgrade', 'head'], ['downgrade', 'base']]) {
      const run = runCli(args, { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
      expect(run.status, run.stderr).toBe(0);
    }
    // V8 compiles a function when it is first called; its bytecode keeps its string
    // constants. The downgrade (the reused run) ran downgrade() only.
    const codeCache = () => readFileSync(join(cacheDir, `${cached().scoped[0]}.v8`)).toString('latin1');
    expect(codeCache()).toContain('DROP TABLE ');
    expect(codeCache()).not.toContain('CREATE TABLE ');
    // An upgrade then calls upgrade(): the cache made again holds both.
    const run = runCli(['upgrade', 'head'], { cwd, env: { MIGRATE_CACHE_DIR: cacheDir } });
    expect(run.status, run.stderr).toBe(0);
    expect(codeCache()).toContain('DROP TABLE ');
    expect(codeCache()).toContain('CREATE TABLE ');
  });
});
