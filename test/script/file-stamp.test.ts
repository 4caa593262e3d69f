import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newFileStamp, stampFile } from '../../src/script/file-stamp.js';

const dir = mkdtempSync(join(tmpdir(), 'migrate-file-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the header cache would compare if it used fs.statSync. */
function expected(path: string) {
  const stats = statSync(path);
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, isFile: stats.isFile() };
}

describe('stampFile', () => {
  it('gives exactly the numbers fs.statSync gives, file after file, into one reused object', () => {
    const stamp = newFileStamp();
    for (let index = 0; index < 20; index++) {
      const path = join(dir, `file_${index}.ts`);
      writeFileSync(path, 'x'.repeat(index * 37));
      // Fractional and far-apart times: the millisecond arithmetic must match to the bit.
      utimesSync(path, 1_700_000_000.123456 + index, 1_600_000_000.987654 + index * 1001.5);
      expect(stampFile(path, stamp)).toBe(stamp);
      expect({ ...stamp }).toEqual(expected(path));
    }
  });

  it('sees an edit that keeps the size (mtime and ctime move)', () => {
    const path = join(dir, 'edited.ts');
    writeFileSync(path, 'aaaa');
    utimesSync(path, 1_000_000_000, 1_000_000_000);
    const before = { ...stampFile(path, newFileStamp()) };
    writeFileSync(path, 'bbbb');
    const after = { ...stampFile(path, newFileStamp()) };
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).not.toBe(before.mtimeMs);
    expect(after).toEqual(expected(path));
  });

  it('says a folder is not a file, and follows symbolic links as stat does', () => {
    const folder = join(dir, 'folder.ts');
    mkdirSync(folder);
    expect(stampFile(folder, newFileStamp()).isFile).toBe(false);
    const target = join(dir, 'target.ts');
    writeFileSync(target, 'export {}');
    const link = join(dir, 'link.ts');
    symlinkSync(target, link);
    expect({ ...stampFile(link, newFileStamp()) }).toEqual(expected(target));
  });

  it('throws what fs.statSync throws for a missing file', () => {
    expect(() => stampFile(join(dir, 'missing.ts'), newFileStamp())).toThrow(/ENOENT/);
  });
});
