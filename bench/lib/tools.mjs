// How each tool is invoked: one child process per command, as a user or CI runs it.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WORK = join(ROOT, 'bench', 'work');
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const NODE = process.execPath;

/**
 * alembic-ts runs from a copy of bin/, dist/, templates/ and package.json taken when the
 * bench starts (see snapshotAlembicTs), so a build made meanwhile in the work tree does
 * not change the code under measurement halfway through a run.
 */
export const SNAPSHOT = join(WORK, 'snapshot');
export const MIGRATE_BIN = join(SNAPSHOT, 'bin', 'migrate.js');

export function snapshotAlembicTs() {
  rmSync(SNAPSHOT, { recursive: true, force: true });
  for (const entry of ['bin', 'dist', 'templates', 'package.json']) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(SNAPSHOT, entry), { recursive: true });
  }
}

/**
 * Per tool: `command(dir, args)` for any CLI command, and `upgrade`/`downgrade(dir, { target, perStep })`
 * (target: the database, for the tools that take it on the command line; perStep: a
 * transaction per migration, for tools whose default is one for the whole run).
 */
export const TOOLS = {
  'alembic-ts': {
    /** `args` are the migrate CLI's, run in the project folder (config found there). */
    command: (dir, args) => ({ command: NODE, args: [MIGRATE_BIN, ...args], cwd: dir }),
    upgrade: (dir) => TOOLS['alembic-ts'].command(dir, ['upgrade', 'head']),
    downgrade: (dir) => TOOLS['alembic-ts'].command(dir, ['downgrade', 'base']),
  },
  alembic: {
    // Alembic as its users run it: Python writes and reuses the .pyc of every revision
    // (a sandbox may set PYTHONDONTWRITEBYTECODE, which would make it recompile them all each run).
    command: (dir, args) => ({
      command: PYTHON,
      args: ['-m', 'alembic', '-c', join(dir, 'alembic.ini'), ...args],
      cwd: dir,
      env: { PYTHONDONTWRITEBYTECODE: undefined },
    }),
    upgrade: (dir) => TOOLS.alembic.command(dir, ['upgrade', 'head']),
    downgrade: (dir) => TOOLS.alembic.command(dir, ['downgrade', 'base']),
  },
  knex: {
    command: (dir, args) => ({ command: NODE, args: [join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js'), ...args, '--knexfile', join(dir, 'knexfile.cjs')], cwd: dir }),
    upgrade: (dir) => TOOLS.knex.command(dir, ['migrate:latest']),
    downgrade: (dir) => TOOLS.knex.command(dir, ['migrate:rollback', '--all']),
  },
  'node-pg-migrate': {
    command: (dir, args, url) => ({
      command: NODE,
      args: [join(ROOT, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js'), ...args, '-m', join(dir, 'migrations')],
      cwd: dir,
      env: { DATABASE_URL: url },
    }),
    upgrade: (dir, { target, perStep }) => TOOLS['node-pg-migrate'].command(dir, ['up', ...(perStep ? ['--no-single-transaction'] : [])], target),
    // A count larger than any project: roll everything back.
    downgrade: (dir, { target, perStep }) =>
      TOOLS['node-pg-migrate'].command(dir, ['down', '100000000', ...(perStep ? ['--no-single-transaction'] : [])], target),
  },
  floor: {
    upgrade: (dir, options) => TOOLS.floor.run(dir, 'upgrade', options),
    downgrade: (dir, options) => TOOLS.floor.run(dir, 'downgrade', options),
    run: (dir, direction, { target, perStep }) => ({
      command: NODE,
      args: [join(ROOT, 'bench', 'floor.mjs'), join(dir, 'steps.json'), target, direction, ...(perStep ? ['--transaction-per-step'] : [])],
      cwd: dir,
    }),
  },
};
