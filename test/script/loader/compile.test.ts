import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ScriptError } from '../../../src/errors.js';
import { importFiles } from '../../../src/script/loader/index.js';

let dir: string;
let cacheDir: string;

function write(name: string, text: string, longAgo = false): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (longAgo) utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  return path;
}

function batch(paths: string[]) {
  return importFiles(paths.map((path) => ({ path })), { cacheDir });
}

function depsFiles(): { path: string; sha256: string }[][] {
  return readdirSync(cacheDir)
    .filter((name) => name.endsWith('.deps.json'))
    .map((name) => JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { path: string; sha256: string }[]);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-compile-'));
  cacheDir = join(dir, 'cache');
});

describe('batch compile', () => {
  it('records bundled helpers with their hash, and an edited helper rebuilds the batch', async () => {
    const helper = write('lib/names.ts', `export const prefix: string = 'app_';\n`, true);
    const a = write('migrations/a.ts', `import { prefix } from '../lib/names';\nexport const table: string = prefix + 'a';\n`);
    const b = write('migrations/b.ts', `export const table: string = 'b';\n`);
    expect((await batch([a, b])).map((m) => m.table)).toEqual(['app_a', 'b']);
    const sum = createHash('sha256').update(readFileSync(helper)).digest('hex');
    expect(depsFiles()).toEqual([[{ path: helper, sha256: sum }]]);

    write('lib/names.ts', `export const prefix: string = 'new_';\n`, true);
    await batch([a, b]); // same URL as before in this process, so look at what was rebuilt
    const newSum = createHash('sha256').update(readFileSync(helper)).digest('hex');
    expect(depsFiles()).toEqual([[{ path: helper, sha256: newSum }]]);
    const modules = readdirSync(cacheDir).filter((name) => name.endsWith('.mjs'));
    expect(modules).toHaveLength(1);
    expect(readFileSync(join(cacheDir, modules[0]!), 'utf8')).toContain('new_');
  });

  it('a helper changed while the build ran is recorded as never matching', async () => {
    write('lib/names.ts', `export const prefix: string = 'app_';\n`); // just written: inside the window
    const a = write('migrations/a.ts', `import { prefix } from '../lib/names';\nexport const table: string = prefix + 'a';\n`);
    const b = write('migrations/b.ts', `export const table: string = 'b';\n`);
    await batch([a, b]);
    expect(depsFiles()[0]![0]!.sha256).toBe('changed-during-build');
  });

  it('import.meta.url, __dirname and __filename in entries and helpers name their own files', async () => {
    const helper = write('lib/where.ts', `export const helperDir: string = __dirname;\nexport const helperUrl = import.meta.url;\n`);
    const a = write(
      'migrations/a.ts',
      `import { helperDir, helperUrl } from '../lib/where';\nexport const here = { dir: __dirname, file: __filename, url: import.meta.url, helperDir, helperUrl };\n`,
    );
    const b = write('migrations/b.ts', `export const here = { file: __filename };\n`);
    const [first, second] = await batch([a, b]);
    expect(first!.here).toEqual({
      dir: dirname(a),
      file: a,
      url: pathToFileURL(a).href,
      helperDir: dirname(helper),
      helperUrl: pathToFileURL(helper).href,
    });
    expect(second!.here).toEqual({ file: b });
  });

  it('a helper with a location marker imported only by marker-free entries still gets its own path', async () => {
    const helper = write('lib/where.ts', `export const helperFile: string = __filename;\n`);
    const a = write('migrations/a.ts', `import { helperFile } from '../lib/where';\nexport const seen = helperFile;\n`);
    const b = write('migrations/b.ts', `export const seen = 'b';\n`);
    expect((await batch([a, b])).map((m) => m.seen)).toEqual([helper, 'b']);
  });

  // The files below import a local helper, so esbuild bundles them (scoped.test.ts has the others).
  it('with pick, each file gives a plain object of those exports, and the unused ones are not compiled in', async () => {
    write('lib/down.ts', `export const down: string = 'down';\n`, true);
    const a = write('migrations/a.ts', `import { down } from '../lib/down';\nexport const revision = 'ra';\nexport async function upgrade(): Promise<string> { return 'up a'; }\nexport function downgrade() { return down + ' a'; }\n`);
    const b = write('migrations/b.ts', `import { down } from '../lib/down';\nexport const revision = 'rb';\nexport const upgrade = (): string => 'up b';\nexport const downgrade = () => down + ' b';\n`);
    const modules = await importFiles([{ path: a }, { path: b }], { cacheDir, pick: ['upgrade', 'downgrade'] });
    expect(modules.map((m) => Object.keys(m))).toEqual([['upgrade', 'downgrade'], ['upgrade', 'downgrade']]);
    // Data properties, not a namespace's getters.
    expect(Object.getOwnPropertyDescriptor(modules[1], 'downgrade')).toMatchObject({ writable: true });
    expect(await (modules[0]!.upgrade as () => Promise<string>)()).toBe('up a');
    expect((modules[1]!.downgrade as () => string)()).toBe('down b');
    const compiled = readdirSync(cacheDir).filter((name) => name.endsWith('.bundled.mjs'));
    expect(compiled).toHaveLength(1);
    expect(readFileSync(join(cacheDir, compiled[0]!), 'utf8')).not.toMatch(/"ra"|"rb"/);
  });

  it('with pick, an export a file lacks is undefined, and the other files load', async () => {
    const a = write('migrations/a.ts', `export function upgrade() { return 'up a'; }\nexport function downgrade() {}\n`);
    const b = write('migrations/b.ts', `export function upgrade() {}\n`);
    const modules = await importFiles([{ path: a }, { path: b }], { cacheDir, pick: ['upgrade', 'downgrade'] });
    expect((modules[0]!.upgrade as () => string)()).toBe('up a');
    expect(modules[1]!.downgrade).toBeUndefined();
  });

  it("a batch's source map carries the generated entry's text, and none of the files'", async () => {
    write('lib/down.ts', `export function down() {}\n`, true);
    const a = write('migrations/a.ts', `import { down } from '../lib/down';\nexport function upgrade() {}\nexport const downgrade = down;\n`);
    const b = write('migrations/b.ts', `import { down } from '../lib/down';\nexport function upgrade() {}\nexport const downgrade = down;\n`);
    await importFiles([{ path: a }, { path: b }], { cacheDir, pick: ['upgrade', 'downgrade'] });
    const mapFile = readdirSync(cacheDir).find((name) => name.endsWith('.bundled.mjs.map'))!;
    const map = JSON.parse(readFileSync(join(cacheDir, mapFile), 'utf8')) as { sources: string[]; sourcesContent: (string | null)[] };
    const entry = map.sources.findIndex((source) => source.includes('revisions'));
    expect(map.sourcesContent[entry]).toContain('export default [');
    expect(map.sourcesContent.filter((text) => text !== null)).toHaveLength(1);
    expect(map.sources.some((source) => source.endsWith('migrations/a.ts'))).toBe(true);
  });
});

describe('batches named by their hashes', () => {
  const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const pick = ['upgrade', 'downgrade'];
  const revision = (name: string, result: string) =>
    write(`migrations/${name}.ts`, `export async function upgrade() { return '${result}'; }\nexport async function downgrade() {}\n`);

  it('a cached batch is found from the hashes alone: no file is read', async () => {
    const a = revision('a', 'first');
    const b = revision('b', 'b');
    const files = [{ path: a, sha256: hash(a) }, { path: b, sha256: hash(b) }];
    await importFiles(files, { cacheDir, pick });
    // The text changes but the caller still names the old hash (the header cache would
    // not: its stamps changed). Served from the cache, so the file was not read.
    revision('a', 'second');
    const [first] = await importFiles(files, { cacheDir, pick });
    expect(await (first!.upgrade as () => Promise<string>)()).toBe('first');
  });

  it('a compile refuses a text whose hash is not the one the batch is named by', async () => {
    const a = revision('a', 'a');
    const b = revision('b', 'b');
    const stale = { path: a, sha256: hash(b) };
    const error = await importFiles([stale, { path: b, sha256: hash(b) }], { cacheDir, pick }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as Error).message).toBe(`${a} changed while migrate was reading it: run the command again.`);
    // Nothing stored under that key.
    expect(existsSync(cacheDir) ? readdirSync(cacheDir).filter((name) => name.endsWith('.mjs')) : []).toEqual([]);
  });
});
