// Runs a command as a child process: wall time (parent's clock) and peak RSS (GNU time).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

/**
 * The environment every tool runs in: this one, without NODE_EXTRA_CA_CERTS. A sandbox
 * that sets it (for its proxy's certificate) makes every Node process parse its whole
 * CA bundle before any JavaScript runs: ~50 ms per start on the machine of
 * docs/BENCHMARKS.md, paid by alembic-ts, knex, node-pg-migrate and the floor alike,
 * and not by Alembic. A user's machine does not usually set it. The start-up suite
 * measures `node -e 0` and `migrate --version` with it too (SANDBOX_CA_CERTS).
 */
const { NODE_EXTRA_CA_CERTS: caCerts, ...baseEnv } = process.env;
export const SANDBOX_CA_CERTS = caCerts;
const hasGnuTime = existsSync(TIME);

/**
 * @returns {Promise<{ ms: number, rssMb: number | null, code: number, logFile: string }>}
 * Output goes to `logFile` (read only when something fails).
 */
export async function timeCommand({ command, args, cwd, env, logFile }) {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const rssFile = `${logFile}.rss`;
  rmSync(rssFile, { force: true });
  const out = openSync(logFile, 'w');
  const [file, argv] = hasGnuTime ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const code = await new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(out);
  let rssMb = null;
  if (hasGnuTime && existsSync(rssFile)) {
    const kb = Number.parseInt(readFileSync(rssFile, 'utf8').trim().split('\n').pop(), 10);
    if (Number.isFinite(kb)) rssMb = kb / 1024;
  }
  return { ms, rssMb, code, logFile };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The last lines of a log, to say why a run failed. */
export function tail(logFile, lines = 6) {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
