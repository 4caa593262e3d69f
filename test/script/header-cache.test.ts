import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ScriptError } from '../../src/errors.js';
import { headerCacheFile } from '../../src/script/header-cache.js';
import { scanScripts, type ScanOptions } from '../../src/script/scan.js';
import type { Script } from '../../src/script/types.js';

let dir: string;
let migrations: string;
let cacheDir: string;

function revision(id: string, down: string | null, message = `step ${id}`): string {
  return `/**\n * ${message}\n *\n * Create Date: 2026-01-02 03:04:05\n */\nexport const revision = '${id}';\n` +
    `export const downRevision = ${JSON.stringify(down)};\nexport const branchLabels = ['l_${id}'];\n` +
    `export async function upgrade() {}\nexport async function downgrade() {}\n`;
}

function write(name: string, text: string): string {
  const path = join(migrations, name);
  writeFileSync(path, text);
  return path;
}

/**
 * A Script's fields as its users read them: a cached one serves doc, createDate and
 * sha256 through getters (read from the cache file on first use).
 */
function fields(script: Script) {
  const { id, downRevisions, dependsOn, branchLabels, source, path, message, doc, createDate, transactional, sha256 } = script;
  return { id, downRevisions, dependsOn, branchLabels, source, path, message, doc, createDate, transactional, sha256 };
}

/** The cache file's first line: what every scan parses. */
function firstLine(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as Record<string, unknown>;
}

/** Scans as if the files had been written long ago (a negative racy window: even this millisecond is safe). */
function scan(options: ScanOptions = {}) {
  return scanScripts([migrations], false, { cacheDir, racyWindowMs: -60_000, ...options });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-header-cache-'));
  migrations = join(dir, 'migrations');
  cacheDir = join(dir, 'cache');
  mkdirSync(migrations);
});

describe('header cache', () => {
  it('a second scan of unchanged files takes every header from the cache, equal to a parse', () => {
    write('a.ts', revision('a1aa', null));
    write('b.ts', revision('b2bb', 'a1aa', 'second step'));
    const first = scan();
    expect(first.cached).toBe(0);
    const second = scan();
    expect(second.cached).toBe(2);
    expect(second.scripts.map(fields)).toEqual(first.scripts.map(fields));
    expect(first.scripts[1]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fields(second.scripts[1]!)).toMatchObject({
      id: 'b2bb',
      downRevisions: ['a1aa'],
      branchLabels: ['l_b2bb'],
      dependsOn: [],
      message: 'second step',
      createDate: '2026-01-02 03:04:05',
      transactional: true,
    });
  });

  it('files of any size are read whole: up to several times the read buffer (64 KiB), multi-byte text across its edge', () => {
    // 'é' is two bytes, so with an odd offset one straddles the buffer's end.
    const paddings = [0, 65_536 - 500, 65_536 - 333, 65_536 * 3 + 7];
    const paths = paddings.map((padding, at) =>
      write(`f${at}.ts`, `// ${'é'.repeat(padding >> 1)}${padding & 1 ? 'x' : ''}\n` + revision(`f${at}ff`, at === 0 ? null : `f${at - 1}ff`)),
    );
    const scanned = scan().scripts;
    expect(scanned.map((script) => script.id)).toEqual(['f0ff', 'f1ff', 'f2ff', 'f3ff']);
    expect(scanned.map((script) => script.sha256)).toEqual(paths.map((path) => createHash('sha256').update(readFileSync(path)).digest('hex')));
  });

  it('an edited file is parsed again, even at the same size with its old mtime put back', async () => {
    const path = write('a.ts', revision('a1aa', null));
    const longAgo = 1_600_000_000; // whole seconds, so putting it back is exact
    utimesSync(path, longAgo, longAgo);
    const before = statSync(path);
    scan();
    await pause(30); // past the ctime granularity
    write('a.ts', revision('a1ab', null));
    utimesSync(path, longAgo, longAgo);
    expect(statSync(path)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
    const after = scan();
    expect(after.cached).toBe(0);
    expect(after.scripts.map((s) => s.id)).toEqual(['a1ab']);
  });

  it('a file changed within the racy window is not cached, so a same-tick edit cannot be served stale', () => {
    write('a.ts', revision('a1aa', null));
    scan({ racyWindowMs: 60_000 });
    expect(scan({ racyWindowMs: 60_000 }).cached).toBe(0);
    expect(scan().cached).toBe(0); // stored now, used from the next scan on
    expect(scan().cached).toBe(1);
  });

  it('added and removed files are seen; the others stay cached', () => {
    write('a.ts', revision('a1aa', null));
    write('c.ts', revision('c3cc', 'a1aa'));
    scan();
    rmSync(join(migrations, 'c.ts'));
    write('b.ts', revision('b2bb', 'a1aa'));
    const next = scan();
    expect(next.scripts.map((s) => s.id)).toEqual(['a1aa', 'b2bb']);
    expect(next.cached).toBe(1);
    const rewritten = scan();
    expect(rewritten.cached).toBe(2);
    // The kept entry's detail line was copied into the new file, not rebuilt: still its own.
    expect(rewritten.scripts.map(fields)).toEqual(scanScripts([migrations], false).scripts.map(fields));
  });

  it('a header error names file and line on every scan, and the good files stay cached', () => {
    write('a.ts', revision('a1aa', null));
    write('b.ts', `export const revision = 'b2bb';\nexport const downRevision = parent();\n`);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => scan()).toThrow(ScriptError);
      expect(() => scan()).toThrow(`${join(migrations, 'b.ts')}:2:`);
    }
    rmSync(join(migrations, 'b.ts'));
    expect(scan().cached).toBe(1);
  });

  it('a corrupt or foreign cache file is ignored and replaced', () => {
    write('a.ts', revision('a1aa', null));
    const file = headerCacheFile(cacheDir, [migrations], false);
    mkdirSync(cacheDir, { recursive: true });
    for (const garbage of ['{not json', '{"version":3,"paths":["x"],"stamps":[],"entries":[]}\n', '[]\n', '']) {
      writeFileSync(file, garbage);
      expect(scan().scripts.map((s) => s.id)).toEqual(['a1aa']);
      expect(firstLine(file)).toMatchObject({ root: join(migrations, 'a.ts'), names: [''], ids: ['a1aa'] });
    }
  });

  it('keeps the hashes on a line of their own, and the whole doc and create date on a line per file, read only when asked for', () => {
    write('a.ts', revision('a1aa', null, 'first step\n *\n * More words.'));
    write('b.ts', revision('b2bb', 'a1aa'));
    const parsed = scan().scripts.map(fields);
    const file = headerCacheFile(cacheDir, [migrations], false);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(5); // the columns, the hashes, a line per file, and the final newline
    expect(firstLine(file)).toMatchObject({ root: `${migrations}/`, names: ['a.ts', 'b.ts'], messages: ['first step', 'step b2bb'] });
    const sha256 = (name: string) => createHash('sha256').update(readFileSync(join(migrations, name))).digest('hex');
    expect(JSON.parse(lines[1]!)).toEqual([sha256('a.ts'), sha256('b.ts')]);
    expect(JSON.parse(lines[2]!)).toEqual([parsed[0]!.doc, '2026-01-02 03:04:05']);
    expect(parsed[0]!.doc).toBe('first step\n\nMore words.\n\nCreate Date: 2026-01-02 03:04:05');
    expect(scan().scripts.map(fields)).toEqual(parsed);
  });

  // Line 1 holds every file's hash, line 3 the second file's doc and date.
  it.each([
    { what: 'line of hashes', line: 1, broken: ['["one hash"]', '[1, 2]', '{"a": 1}', '[not json'] },
    { what: 'detail line', line: 3, broken: ['["only a doc"]', '["a doc", null, "a hash"]', '{not json', ''] },
  ])('a corrupt $what: the revision files are read instead, and the cache file is written again', ({ line, broken }) => {
    write('a.ts', revision('a1aa', null));
    write('b.ts', revision('b2bb', 'a1aa'));
    const parsed = scan().scripts.map(fields);
    const file = headerCacheFile(cacheDir, [migrations], false);
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const text of broken) {
      writeFileSync(file, lines.map((sound, at) => (at === line ? text : sound)).join('\n'));
      const served = scan();
      expect(served.cached).toBe(2); // the first line is sound
      expect(served.scripts.map(fields)).toEqual(parsed);
      expect(existsSync(file)).toBe(false); // removed when the bad line was met
      expect(scan().cached).toBe(0);
      expect(scan().cached).toBe(2);
    }
  });

  it('a file of the first line alone is no cache', () => {
    write('a.ts', revision('a1aa', null));
    scan();
    const file = headerCacheFile(cacheDir, [migrations], false);
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n')[0]}\n`);
    expect(scan().cached).toBe(0);
    expect(scan().cached).toBe(1);
  });

  it('many files: the detail lines are parsed in one go, and a corrupt one is still caught', () => {
    const names = Array.from({ length: 40 }, (_, index) => `r${String(index).padStart(3, '0')}`);
    names.forEach((id, index) => write(`${id}.ts`, revision(id, index === 0 ? null : names[index - 1]!)));
    const parsed = scan().scripts.map(fields);
    expect(scan().scripts.map(fields)).toEqual(parsed); // every line read: past the one-by-one reads
    const file = headerCacheFile(cacheDir, [migrations], false);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[35] = '["a doc", null, "a hash"]';
    writeFileSync(file, lines.join('\n'));
    expect(scan().scripts.map(fields)).toEqual(parsed);
    expect(existsSync(file)).toBe(false);
  });

  it('an unusable cache folder only costs speed', () => {
    write('a.ts', revision('a1aa', null));
    writeFileSync(cacheDir, 'a file where the folder should be');
    expect(scan().scripts.map((s) => s.id)).toEqual(['a1aa']);
    expect(scan()).toMatchObject({ cached: 0 });
  });

  it('several location sets keep separate caches', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    write('a.ts', revision('a1aa', null));
    writeFileSync(join(other, 'b.ts'), revision('b2bb', 'a1aa'));
    scan();
    scanScripts([migrations, other], false, { cacheDir, racyWindowMs: -60_000 });
    expect(scan().scripts.map((s) => s.id)).toEqual(['a1aa']);
    expect(scanScripts([migrations, other], false, { cacheDir, racyWindowMs: -60_000 })).toMatchObject({ cached: 2 });
  });
});
