/**
 * A compiled config imports `alembic-ts` from the dist/ of the copy that compiled it, so
 * two installed copies sharing one compile cache (a CI cache, MIGRATE_CACHE_DIR) must not
 * reuse each other's entries: once the first copy is gone, the second must still work.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');

/** A copy of the built package, as `npm install` would lay it out (its dependencies linked). */
function installCopy(into: string): string {
  for (const entry of ['bin', 'dist', 'templates', 'package.json']) cpSync(join(REPO, entry), join(into, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(into, 'node_modules'));
  return join(into, 'bin', 'migrate.js');
}

it('two copies of alembic-ts sharing a compile cache each compile the config against themselves', () => {
  const root = mkdtempSync(join(tmpdir(), 'migrate-two-copies-'));
  const first = installCopy(join(root, 'first'));
  const second = installCopy(join(root, 'second'));
  const project = join(root, 'project');
  cpSync(join(REPO, 'migrate.config.ts'), join(project, 'migrate.config.ts'));
  cpSync(join(REPO, 'migrations'), join(project, 'migrations'), { recursive: true });
  const env = { ...process.env, MIGRATE_CACHE_DIR: join(root, 'shared-cache') };
  const heads = (bin: string) => spawnSync(process.execPath, [bin, 'heads'], { cwd: project, env, encoding: 'utf8' });

  expect(heads(first).status).toBe(0);
  rmSync(join(root, 'first'), { recursive: true });
  const result = heads(second);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/\(head\)/);
});
