#!/usr/bin/env node
// Two or more builds of alembic-ts against each other, the floor and the file floor (see
// bench/floor.mjs), warm caches, alternating round by round: for before/after figures of one change (docs/BENCHMARKS.md,
// "What changed"). Never asserts a time.
//
//   node bench/ab.mjs [--size 1000] [--workload light|ddl] [--dialect sqlite|postgresql] [--rounds 11] REV...
//
// Each REV is a git revision (e863cb5, HEAD) or `.` for the work tree as it is built now.
// A revision is checked out and built once into bench/work/ab/builds/<sha> (with this
// tree's node_modules). Medians of wall time, milliseconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { linearGraph } from './lib/graph.mjs';
import { generateAlembicTs } from './gen/alembic-ts.mjs';
import { generateFloor } from './gen/floor.mjs';
import { dropPostgres, freshPostgres, freshSqlite, pgUrl } from './lib/databases.mjs';
import { lightTableSql } from './lib/workloads.mjs';
import { median } from './lib/measure.mjs';
import { ROOT, WORK } from './lib/tools.mjs';

const { values: options, positionals: revisions } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '1000' },
    workload: { type: 'string', default: 'light' },
    dialect: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '11' },
  },
});
if (revisions.length === 0) throw new Error('name at least one revision (a git revision, or . for the work tree)');

const AB = join(WORK, 'ab');
const { NODE_EXTRA_CA_CERTS: _sandboxCerts, ...env } = process.env; // as bench/lib/measure.mjs

/** bin/migrate.js of a build of `revision`. */
function build(revision) {
  if (revision === '.') return join(ROOT, 'bin', 'migrate.js');
  const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', revision], { encoding: 'utf8' }).trim();
  const dir = join(AB, 'builds', sha);
  if (!existsSync(join(dir, 'dist'))) {
    const tree = join(AB, 'checkout');
    rmSync(tree, { recursive: true, force: true });
    execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--force', '--detach', tree, sha], { stdio: 'ignore' });
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, stdio: 'ignore' });
      mkdirSync(dir, { recursive: true });
      for (const entry of ['bin', 'dist', 'templates', 'package.json']) cpSync(join(tree, entry), join(dir, entry), { recursive: true });
    } finally {
      execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', tree], { stdio: 'ignore' });
    }
  }
  return join(dir, 'bin', 'migrate.js');
}

const { size, workload, dialect } = options;
const project = join(AB, `${dialect}-${workload}-${size}`);
const scratch = 'bench_scratch_ab';
const target = dialect === 'sqlite' ? join(project, 'ab.db') : pgUrl(scratch);
if (!existsSync(join(project, 'alembic-ts'))) {
  const revisions = linearGraph(Number(size));
  generateAlembicTs(join(project, 'alembic-ts'), { revisions, workload, url: dialect === 'sqlite' ? `sqlite:///${target}` : target });
  generateFloor(join(project, 'floor'), { revisions, workload, dialect });
}
const setup = workload === 'light' ? [lightTableSql(dialect)] : [];
const fresh = () => (dialect === 'sqlite' ? freshSqlite(target, setup) : freshPostgres(scratch, setup));

function timed(args, cwd, extraEnv = {}) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const tools = revisions.map((revision) => ({ name: revision, bin: build(revision), cache: join(project, `cache-${revisions.indexOf(revision)}`) }));
const migrate = (tool, ...args) => timed([tool.bin, ...args], join(project, 'alembic-ts'), { MIGRATE_CACHE_DIR: tool.cache });
// Warm every build's caches, its batches' code caches holding both directions.
for (const tool of tools) {
  for (let pass = 0; pass < 2; pass++) {
    await fresh();
    migrate(tool, 'upgrade', 'head', '-q');
    migrate(tool, 'downgrade', 'base', '-q');
  }
}
const floor = (direction, ...flags) => timed([join(ROOT, 'bench', 'floor.mjs'), join(project, 'floor', 'steps.json'), target, direction, ...flags], project);
// The file floor (see bench/floor.mjs --files): the floor plus a stat of every revision
// file and the steps' code loaded from a code-cached script; warmed like the builds.
const fileFloor = (direction) => floor(direction, '--files', join(project, 'alembic-ts', 'migrations'));
for (let pass = 0; pass < 2; pass++) {
  await fresh();
  fileFloor('upgrade');
  fileFloor('downgrade');
}
const times = new Map();
const add = (key, ms) => times.set(key, [...(times.get(key) ?? []), ms]);
const floors = { floor, 'file floor': fileFloor };
const order = [...tools, ...Object.keys(floors)];
for (let round = 0; round < Number(options.rounds); round++) {
  for (let at = 0; at < order.length; at++) {
    const tool = order[(at + round) % order.length];
    await fresh();
    const name = typeof tool === 'string' ? tool : tool.name;
    add(`${name} · upgrade head`, typeof tool === 'string' ? floors[tool]('upgrade') : migrate(tool, 'upgrade', 'head'));
    add(`${name} · downgrade base`, typeof tool === 'string' ? floors[tool]('downgrade') : migrate(tool, 'downgrade', 'base'));
  }
}
if (dialect === 'postgresql') await dropPostgres(scratch);
process.stdout.write(`${dialect} ${workload} ${size}, warm, ${options.rounds} rounds (medians, ms)\n`);
for (const [key, values] of times) {
  process.stdout.write(`${key.padEnd(40)} ${median(values).toFixed(0).padStart(7)}   [${values.map((v) => v.toFixed(0)).join(' ')}]\n`);
}
