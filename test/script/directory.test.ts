import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import type { Config } from '../../src/config/types.js';
import { GraphError, ScriptError } from '../../src/errors.js';
import { loadScriptDirectory } from '../../src/script/directory.js';

let dir: string;

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function revision(id: string, down: string | string[] | null, extra = '', message = `step ${id}`): string {
  return `/**\n * ${message}\n */\nexport const revision = '${id}';\nexport const downRevision = ${JSON.stringify(down)};\n${extra}
export async function upgrade(op) { return ['up', '${id}']; }
export async function downgrade(op) { return ['down', '${id}']; }\n`;
}

function load(config: Config = {}) {
  return loadScriptDirectory(resolveConfig({ config, rootDir: dir, xArgs: {} }));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-scripts-'));
  process.env.MIGRATE_CACHE_DIR = join(dir, '.cache');
});

describe('scanning the scripts folder', () => {
  it('reads .ts/.js/.mjs revisions and ignores dot/underscore files, templates, READMEs, declarations and sub-folders', async () => {
    write({
      'migrations/a1_first.ts': revision('a1aa', null),
      'migrations/b2_second.mjs': revision('b2bb', 'a1aa'),
      'migrations/c3_third.js': revision('c3cc', 'b2bb'),
      'migrations/_helpers.ts': 'export const x = 1;\n',
      'migrations/.hidden.ts': revision('zzzz', null),
      'migrations/script.ts.ejs': '<%= revision %>',
      'migrations/README': 'readme',
      'migrations/types.d.ts': 'export {};\n',
      'migrations/nested/d4_deep.ts': revision('d4dd', 'c3cc'),
      'package.json': '{"type":"module"}',
    });
    const scripts = await load();
    expect(scripts.scripts.map((s) => s.id)).toEqual(['a1aa', 'b2bb', 'c3cc']);
    expect(scripts.map.heads.map((s) => s.id)).toEqual(['c3cc']);
    expect(scripts.map.get('b2bb')).toMatchObject({ path: join(dir, 'migrations/b2_second.mjs'), message: 'step b2bb', transactional: true });
  });

  it('recurses into sub-folders (not dot/underscore ones) with recursiveVersionLocations', async () => {
    write({
      'migrations/a1_first.ts': revision('a1aa', null),
      'migrations/2026/b2_second.ts': revision('b2bb', 'a1aa'),
      'migrations/2026/03/c3_third.ts': revision('c3cc', 'b2bb'),
      'migrations/_archive/old.ts': revision('old1', null),
    });
    const scripts = await load({ recursiveVersionLocations: true });
    expect(scripts.scripts.map((s) => s.id).sort()).toEqual(['a1aa', 'b2bb', 'c3cc']);
  });

  it('reads several version locations', async () => {
    write({
      'migrations/a1.ts': revision('a1aa', null),
      'other/b2.ts': revision('b2bb', 'a1aa'),
    });
    const scripts = await load({ versionLocations: ['migrations', 'other'] });
    expect(scripts.map.heads.map((s) => s.id)).toEqual(['b2bb']);
  });

  it('a missing scripts folder says to run init', async () => {
    expect((await rejection(load())).message).toMatch(/Scripts folder .*migrations does not exist: run `migrate init`/);
  });

  it('header errors name the file and line', async () => {
    write({ 'migrations/a1.ts': `export const revision = 'a1aa';\nexport const downRevision = parent();\n` });
    const error = await rejection(load());
    expect(error).toBeInstanceOf(ScriptError);
    expect(error.message).toContain(`${join(dir, 'migrations/a1.ts')}:2:`);
  });

  it.each([
    ['duplicate id', { 'migrations/a.ts': revision('a1aa', null), 'migrations/b.ts': revision('a1aa', null) }, /a1aa.*more than once.*a\.ts.*b\.ts/],
    ['missing parent', { 'migrations/a.ts': revision('a1aa', 'zzzz') }, /zzzz.*not present/],
    ['cycle', { 'migrations/a.ts': revision('a1aa', 'b2bb'), 'migrations/b.ts': revision('b2bb', 'a1aa') }, /[Cc]ycle/],
    [
      'duplicate label',
      {
        'migrations/a.ts': revision('a1aa', null, "export const branchLabels = ['feat'];"),
        'migrations/b.ts': revision('b2bb', null, "export const branchLabels = ['feat'];"),
      },
      /Branch name 'feat'/,
    ],
  ])('graph errors name the files: %s', async (_case, files, pattern) => {
    write(files);
    const error = await rejection(load());
    expect(error).toBeInstanceOf(GraphError);
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain(join(dir, 'migrations'));
  });

  it('an id over 32 characters is refused at load, naming the file', async () => {
    write({ 'migrations/a.ts': revision('a'.repeat(33), null) });
    expect((await rejection(load())).message).toMatch(/a\.ts:4: invalid revision id/);
  });

  it('scans 10,000 revision files quickly (printed, not asserted)', async () => {
    const files: Record<string, string> = {};
    let previous: string | null = null;
    for (let i = 0; i < 10_000; i++) {
      const id = `r${i.toString(16).padStart(11, '0')}`;
      files[`migrations/${id}_step.ts`] = revision(id, previous);
      previous = id;
    }
    write(files);
    const started = performance.now();
    const scripts = await load();
    const elapsed = performance.now() - started;
    expect(scripts.scripts).toHaveLength(10_000);
    expect(scripts.map.heads.map((s) => s.id)).toEqual([previous]);
    console.log(`scan + parse + graph of 10,000 revisions: ${elapsed.toFixed(0)} ms`);
  });
});

describe('modules and checksums', () => {
  it('imports a revision lazily through the loader, with its local imports', async () => {
    write({
      'lib/names.ts': `export const prefix: string = 'app_';\n`,
      'migrations/a1.ts': revision('a1aa', null, `import { prefix } from '../lib/names';\nexport const used = prefix + 'users';`),
    });
    const scripts = await load();
    const module = (await scripts.loadModule(scripts.map.get('a1aa')!)) as unknown as Record<string, unknown>;
    expect(module.used).toBe('app_users');
    expect(await (module.upgrade as () => Promise<unknown>)()).toEqual(['up', 'a1aa']);
    expect(await scripts.loadModule(scripts.map.get('a1aa')!)).toBe(module);
  });

  it('loadModules imports many revisions as one batch', async () => {
    write({
      'migrations/a1.ts': revision('a1aa', null),
      'migrations/b2.ts': revision('b2bb', 'a1aa'),
      'migrations/c3.mjs': revision('c3cc', 'b2bb'),
    });
    const scripts = await load();
    const modules = await scripts.loadModules(scripts.scripts);
    const results = await Promise.all(modules.map((m) => m.downgrade({} as never)));
    expect(results).toEqual([['down', 'a1aa'], ['down', 'b2bb'], ['down', 'c3cc']]);
  });

  it("a syntax error in a revision's body is a ScriptError with file and line when imported", async () => {
    write({ 'migrations/a1.ts': revision('a1aa', null, `export function broken( {\n  return 1;\n}`) });
    const scripts = await load(); // the header reads fine
    const error = await rejection(scripts.loadModule(scripts.map.get('a1aa')!));
    expect(error).toBeInstanceOf(ScriptError);
    expect(error.message).toContain(`${join(dir, 'migrations/a1.ts')}:7:`);
    expect((error as ScriptError).line).toBe(7);
  });

  it('a revision without upgrade/downgrade is refused when imported', async () => {
    write({ 'migrations/a1.ts': `export const revision = 'a1aa';\nexport const downRevision = null;\nexport function upgrade() {}\n` });
    const scripts = await load();
    expect((await rejection(scripts.loadModule(scripts.map.get('a1aa')!))).message).toMatch(/does not export a downgrade\(\) function/);
  });

  it('in a batch, a revision without downgrade fails alone with the same message; the others load', async () => {
    write({
      'migrations/a1.ts': revision('a1aa', null),
      'migrations/b2.ts': `export const revision = 'b2bb';\nexport const downRevision = 'a1aa';\nexport function upgrade() {}\n`,
      'migrations/c3.ts': revision('c3cc', 'b2bb'),
    });
    const scripts = await load();
    const [a1, b2, c3] = ['a1aa', 'b2bb', 'c3cc'].map((id) => scripts.map.get(id)!);
    expect((await rejection(scripts.loadModules([a1!, b2!, c3!]))).message).toMatch(/b2\.ts does not export a downgrade\(\) function/);
    expect(await (await scripts.loadModule(c3!)).downgrade({} as never)).toEqual(['down', 'c3cc']);
  });

  it('a file the scan read is compiled from that text: the module, header and checksum agree even if it changes after', async () => {
    write({
      'migrations/a1.ts': revision('a1aa', null),
      'migrations/b2.ts': revision('b2bb', 'a1aa'),
      'migrations/c3.ts': revision('c3cc', 'b2bb'),
    });
    const scripts = await load();
    const before = scripts.checksum(scripts.map.get('b2bb')!);
    // Edited between the scan and the import (a cold compile): the run keeps to what it planned with.
    writeFileSync(join(dir, 'migrations/b2.ts'), revision('b2bb', 'a1aa').replace("['down', 'b2bb']", "['edited']"));
    writeFileSync(join(dir, 'migrations/c3.ts'), revision('c3cc', 'b2bb').replace("['down', 'c3cc']", "['edited']"));
    const [b2] = await scripts.loadModules([scripts.map.get('b2bb')!, scripts.map.get('a1aa')!]);
    expect(await b2!.downgrade({} as never)).toEqual(['down', 'b2bb']);
    expect(await (await scripts.loadModule(scripts.map.get('c3cc')!)).downgrade({} as never)).toEqual(['down', 'c3cc']);
    expect(scripts.checksum(scripts.map.get('b2bb')!)).toBe(before);
  });

  it('a revision the bundler compiles, edited after the scan, is refused rather than run as a text its checksum does not describe', async () => {
    write({
      'lib/names.ts': `export const prefix: string = 'app_';\n`,
      'migrations/a1.ts': revision('a1aa', null, `import { prefix } from '../lib/names';\nexport const used = prefix + 'users';`),
      'migrations/b2.ts': revision('b2bb', 'a1aa'),
    });
    const scripts = await load();
    // esbuild reads its entries from disk; the scan's text is the one the graph and the checksum know.
    writeFileSync(join(dir, 'migrations/a1.ts'), revision('a1aa', null, `import { prefix } from '../lib/names';\nexport const used = 'edited';`));
    const batchError = await rejection(scripts.loadModules([scripts.map.get('a1aa')!, scripts.map.get('b2bb')!]));
    expect(batchError).toBeInstanceOf(ScriptError);
    expect(batchError.message).toBe(`${join(dir, 'migrations/a1.ts')} changed while migrate was reading it: run the command again.`);
    // Alone (the runner's fallback after a failed batch), the same refusal; the other file loads.
    expect((await rejection(scripts.loadModule(scripts.map.get('a1aa')!))).message).toMatch(/a1\.ts changed while migrate was reading it/);
    expect(await (await scripts.loadModule(scripts.map.get('b2bb')!)).downgrade({} as never)).toEqual(['down', 'b2bb']);
  });

  it('checksum is the sha256 hex of the file text', async () => {
    write({ 'migrations/a1.ts': revision('a1aa', null) });
    const scripts = await load();
    const expected = createHash('sha256').update(readFileSync(join(dir, 'migrations/a1.ts'))).digest('hex');
    expect(scripts.checksum(scripts.map.get('a1aa')!)).toBe(expected);
  });
});

describe('header cache through loadScriptDirectory', () => {
  it('a revision edited between two loads shows its new header, and its checksum follows the text', async () => {
    write({ 'migrations/a1.ts': revision('a1aa', null, '', 'first message') });
    const path = join(dir, 'migrations/a1.ts');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old); // old enough to be cached (outside the racy window)
    await load();
    await load();
    write({ 'migrations/a1.ts': revision('a1aa', null, '', 'second message') });
    const scripts = await load();
    expect(scripts.map.get('a1aa')!.message).toBe('second message');
    expect(scripts.checksum(scripts.map.get('a1aa')!)).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(readdirSync(process.env.MIGRATE_CACHE_DIR!).some((name) => name.startsWith('headers-'))).toBe(true);
  });
});
