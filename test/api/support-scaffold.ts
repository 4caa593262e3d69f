/** Temp projects for the scaffolding-command tests, driven through the built CLI. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';

export interface TempProject {
  readonly dir: string;
  run(...args: string[]): CliResult;
  runWith(env: NodeJS.ProcessEnv, ...args: string[]): CliResult;
  /** Revision files of a folder (default migrations/), sorted. */
  revisionFiles(folder?: string): string[];
  read(path: string): string;
  write(path: string, text: string): void;
}

export function tempProject(config?: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-scaffold-'));
  const env = { MIGRATE_CACHE_DIR: join(dir, '.cache') };
  if (config !== undefined) {
    writeFileSync(join(dir, 'migrate.config.ts'), config);
    mkdirSync(join(dir, 'migrations'));
  }
  return {
    dir,
    run: (...args) => runCli(args, { cwd: dir, env }),
    runWith: (extra, ...args) => runCli(args, { cwd: dir, env: { ...env, ...extra } }),
    revisionFiles: (folder = 'migrations') =>
      readdirSync(join(dir, folder)).filter((name) => name.endsWith('.ts')).sort(),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write: (path, text) => writeFileSync(join(dir, path), text),
  };
}

/** `Generating /path ...  done` → /path. */
export function generatedPath(result: CliResult): string {
  const line = result.stderr.split('\n').find((l) => l.startsWith('Generating '));
  if (!line) throw new Error(`no Generating line in: ${result.stderr}`);
  return line.slice('Generating '.length, line.indexOf(' ...'));
}
