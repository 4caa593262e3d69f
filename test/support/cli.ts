/** Runs the built CLI (`npm run build` first; `npm test` does) as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MIGRATE_BIN = fileURLToPath(new URL('../../bin/migrate.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the final empty one. */
  lines: string[];
}

function result(status: number | null, stdout: string, stderr: string): CliResult {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { status, stdout, stderr, lines };
}

/** Synchronous run: for commands that finish quickly. */
export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult {
  const child = spawnSync(process.execPath, [MIGRATE_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    input: options.input,
  });
  return result(child.status, child.stdout, child.stderr);
}

/** Asynchronous run: for several runners at once, or a run to kill midway. */
export function startCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [MIGRATE_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (status) => resolve(result(status, stdout, stderr)));
  });
  return { child, done, stderrSoFar: () => stderr };
}
