#!/usr/bin/env node
// The benchmark: alembic-ts side by side with Alembic 1.8, knex, node-pg-migrate and the
// raw-driver floor. Prints tables (medians, ratio to alembic-ts, peak memory) and the
// targets of the speed issue; writes bench/results/full.{json,md} (quick: bench/work/quick.*;
// with --only: bench/work/<mode>-only.*).
// Never asserts a time.
//
//   npm run bench                      full run (~20-25 min on 2 cores)
//   npm run bench -- --quick           small sizes, one run each (~1-2 min)
//   options: --only startup,graph,upgrade,offline   --runs N   --no-build   --pg-ddl-10k
//            --workloads sqlite-ddl,postgresql-light   --sizes 5000,10000   --budget SECONDS
//            (the last three narrow the upgrade suite, and give a case more time, for a rerun of
//            a verdict that one or two runs cannot settle)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, PYTHON, snapshotAlembicTs } from './lib/tools.mjs';
import { dropLeftoverPostgres, postgresProblem } from './lib/databases.mjs';
import { closeSchemaBuilders } from './lib/workloads.mjs';
import { renderFailures, renderMarkdown, renderText } from './lib/report.mjs';
import { evaluateTargets, renderTargetsMarkdown, renderTargetsText } from './lib/targets.mjs';
import { runStartupSuite } from './suites/startup.mjs';
import { runGraphSuite } from './suites/graph.mjs';
import { runUpgradeSuite } from './suites/upgrade.mjs';
import { runOfflineSuite } from './suites/offline.mjs';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'pg-ddl-10k': { type: 'boolean', default: false },
    workloads: { type: 'string' },
    sizes: { type: 'string' },
    budget: { type: 'string' },
  },
});

const K = 1000;
/** What each mode runs. Full: the sizes; quick: a smoke run of the harness. */
const MODES = {
  full: {
    // 5: the 1k cases, where alembic-ts and knex are within a few per cent, get a steadier
    // median; the slow cases stop at their budget after 1-3 runs.
    runs: 5,
    startupRuns: 15,
    budgetMs: 20_000,
    graph: { sizes: [1 * K, 5 * K, 10 * K], shapes: ['linear', 'branchy'] },
    upgrade: [
      // 5k too: the growth target is shown at 1k, 5k and 10k.
      { dialect: 'sqlite', workload: 'ddl', sizes: [1 * K, 5 * K, 10 * K] },
      { dialect: 'sqlite', workload: 'light', sizes: [1 * K, 5 * K, 10 * K] },
      // 10k new tables in one transaction overflow PostgreSQL's lock table (max_locks_per_transaction):
      // run with --pg-ddl-10k to add it with a transaction per migration for every tool.
      { dialect: 'postgresql', workload: 'ddl', sizes: options['pg-ddl-10k'] ? [1 * K, 10 * K] : [1 * K] },
      { dialect: 'postgresql', workload: 'light', sizes: [1 * K, 5 * K, 10 * K] },
    ],
    // Alembic's per-statement autocommit on SQLite makes 10k steps take minutes; it has no upgrade target.
    alembicMaxSize: 1 * K,
    offline: { sizes: [1 * K, 10 * K] },
  },
  quick: {
    runs: 1,
    startupRuns: 5,
    budgetMs: 10_000,
    graph: { sizes: [100, 500, 1 * K], shapes: ['linear', 'branchy'] },
    upgrade: [
      { dialect: 'sqlite', workload: 'ddl', sizes: [200] },
      { dialect: 'sqlite', workload: 'light', sizes: [200, 1 * K] },
      { dialect: 'postgresql', workload: 'ddl', sizes: [200] },
      { dialect: 'postgresql', workload: 'light', sizes: [200] },
    ],
    alembicMaxSize: 1 * K,
    offline: { sizes: [1 * K] },
  },
};

const modeName = options.quick ? 'quick' : 'full';
const mode = MODES[modeName];
const runs = options.runs ? Number(options.runs) : mode.runs;
const suites = new Set((options.only ?? 'startup,graph,upgrade,offline').split(','));
const budgetMs = options.budget ? Number(options.budget) * 1000 : mode.budgetMs;

/** The upgrade plans of the mode, narrowed by --workloads and --sizes. */
function upgradePlans() {
  const workloads = options.workloads?.split(',');
  const sizes = options.sizes?.split(',').map(Number);
  return mode.upgrade
    .filter((plan) => !workloads || workloads.includes(`${plan.dialect}-${plan.workload}`))
    .map((plan) => ({ ...plan, sizes: sizes ? plan.sizes.filter((size) => sizes.includes(size)) : plan.sizes }))
    .filter((plan) => plan.sizes.length > 0);
}

function machine() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    cpu: cpus()[0]?.model ?? 'unknown',
    nproc: sh('nproc', []),
    memory: `${Math.round(Number(sh('awk', ['/MemTotal/ {print $2}', '/proc/meminfo'])) / 1024 / 1024)} GiB`,
    node: process.version,
    alembic: sh(PYTHON, ['-m', 'alembic', '--version']),
    knex: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'knex', 'package.json'), 'utf8')).version,
    nodePgMigrate: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node-pg-migrate', 'package.json'), 'utf8')).version,
    postgres: sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', 'show server_version', 'test']),
  };
}

async function main() {
  if (!options['no-build']) {
    process.stderr.write('building dist/ (npm run build)\n');
    try {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      process.stderr.write('the build failed: measuring the dist/ already there\n');
    }
  }
  snapshotAlembicTs();
  const measuredCommit = machine().commit; // the snapshot's commit, not the one at the end
  const pgProblem = await postgresProblem();
  if (pgProblem) process.stderr.write(`PostgreSQL unavailable (${pgProblem}): skipping its cases\n`);
  else await dropLeftoverPostgres();

  const started = Date.now();
  const records = [];
  if (suites.has('startup')) records.push(...(await runStartupSuite({ runs: options.runs ? runs : mode.startupRuns })));
  if (suites.has('graph')) records.push(...(await runGraphSuite({ ...mode.graph, runs, budgetMs })));
  if (suites.has('upgrade')) {
    const plans = upgradePlans().filter((p) => p.dialect !== 'postgresql' || !pgProblem);
    const perStepTransactions = (dialect, workload, size) => dialect === 'postgresql' && workload === 'ddl' && size > 5 * K;
    records.push(...(await runUpgradeSuite({ plans, runs, budgetMs, alembicMaxSize: mode.alembicMaxSize, perStepTransactions })));
  }
  if (suites.has('offline')) records.push(...(await runOfflineSuite({ ...mode.offline, runs, budgetMs })));
  await closeSchemaBuilders();

  const targets = evaluateTargets(records);
  const info = { ...machine(), commit: measuredCommit, mode: modeName, runs, minutes: ((Date.now() - started) / 60000).toFixed(1) };
  process.stdout.write(`${renderText(records)}\n\n${renderFailures(records)}\n\nTargets\n${renderTargetsText(targets)}\n\n`);
  process.stdout.write(`${info.nproc} cores, ${info.cpu}, node ${info.node}, ${info.minutes} min\n`);

  // Only a whole full run is kept in git; a quick one, or some suites (--only), stay in
  // bench/work, so that they never replace the record of a whole run.
  const narrowed = options.only || options.workloads || options.sizes;
  const kept = modeName === 'full' && !narrowed;
  const resultsDir = join(ROOT, 'bench', kept ? 'results' : 'work');
  const name = narrowed ? `${modeName}-only` : modeName;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify({ machine: info, records, targets }, null, 2) + '\n');
  const header = `Run of ${info.date} at ${info.commit} (${modeName}, up to ${runs} runs per case): ${info.nproc} cores, ${info.cpu}, ${info.memory}, node ${info.node}, ${info.alembic}, knex ${info.knex}, node-pg-migrate ${info.nodePgMigrate}, PostgreSQL ${info.postgres}; ${info.minutes} min.`;
  writeFileSync(join(resultsDir, `${name}.md`), `${header}\n${renderMarkdown(records)}\n\n${renderFailures(records)}\n\n### Targets\n\n${renderTargetsMarkdown(targets)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
