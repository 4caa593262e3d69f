/**
 * The CLI (dist/cli.cjs) and knex (dist/vendor/knex.cjs) run as scripts with V8's code
 * caches (src/cli/launch.ts, src/runtime/knex.ts). A cache only ever costs or saves
 * time: one that is missing, garbage or cannot be written changes no output.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The sample app in a folder of its own, with its own cache folder. */
function sampleProject(): { cwd: string; cacheDir: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'migrate-code-caches-'));
  cpSync(join(REPO, 'migrate.config.ts'), join(cwd, 'migrate.config.ts'));
  cpSync(join(REPO, 'migrations'), join(cwd, 'migrations'), { recursive: true });
  return { cwd, cacheDir: join(cwd, '.cache') };
}

function migrate(project: { cwd: string; cacheDir: string }, ...args: string[]) {
  const run = runCli(args, { cwd: project.cwd, env: { MIGRATE_CACHE_DIR: project.cacheDir } });
  expect(run.stderr, run.stderr).not.toMatch(/FAILED|Error/);
  expect(run.status).toBe(0);
  return run;
}

const cacheFile = (cacheDir: string, pattern: RegExp) => {
  const found = readdirSync(cacheDir).filter((name) => pattern.test(name));
  expect(found).toHaveLength(1);
  return join(cacheDir, found[0]!);
};

/** A valid header (the script's stamps and a tag) followed by bytes V8 must refuse. */
function spoil(path: string): void {
  writeFileSync(path, Buffer.concat([readFileSync(path).subarray(0, 32), Buffer.from('not a code cache')]));
}

describe("V8's code caches of the CLI and of knex", () => {
  it("the CLI's: one per command, made by its first run, used after, and made again when V8 refuses it", () => {
    const project = sampleProject();
    const first = migrate(project, 'heads');
    const heads = cacheFile(project.cacheDir, /^cli-[0-9a-f]+-heads\.v8$/);
    const made = statSync(heads).mtimeMs;
    expect(migrate(project, 'heads').stdout).toBe(first.stdout);
    expect(statSync(heads).mtimeMs).toBe(made);
    // Another command has its own.
    migrate(project, '-q', 'history');
    cacheFile(project.cacheDir, /^cli-[0-9a-f]+-history\.v8$/);
    spoil(heads);
    expect(migrate(project, 'heads').stdout).toBe(first.stdout);
    expect(readFileSync(heads).subarray(32).toString()).not.toBe('not a code cache');
  });

  it("knex's: made by a command that loads knex, and refused garbage changes no output", () => {
    const project = sampleProject();
    const first = migrate(project, 'upgrade', 'head', '--sql');
    const knex = cacheFile(project.cacheDir, /^knex-[0-9a-f]+\.v8$/);
    spoil(knex);
    expect(migrate(project, 'upgrade', 'head', '--sql').stdout).toBe(first.stdout);
    expect(readFileSync(knex).subarray(32).toString()).not.toBe('not a code cache');
  });

  it('a code cache that can be neither read nor written costs only time: the output is the same', () => {
    const project = sampleProject();
    const first = migrate(project, 'upgrade', 'head', '--sql');
    // Folders where the two caches would be: reading them fails, and so does the rename onto them.
    for (const pattern of [/^cli-[0-9a-f]+-upgrade\.v8$/, /^knex-[0-9a-f]+\.v8$/]) {
      const path = cacheFile(project.cacheDir, pattern);
      rmSync(path);
      mkdirSync(join(path, 'in-the-way'), { recursive: true });
    }
    expect(migrate(project, 'upgrade', 'head', '--sql').stdout).toBe(first.stdout);
    for (const pattern of [/^cli-[0-9a-f]+-upgrade\.v8$/, /^knex-[0-9a-f]+\.v8$/]) {
      expect(statSync(cacheFile(project.cacheDir, pattern)).isDirectory()).toBe(true);
    }
    // No temporary file of a failed write is left behind.
    expect(readdirSync(project.cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
