// The read path through the built CLI: `--version`, `heads` on the sample app,
// `heads`/`history` on 10,000 revisions (cold and warm header cache), and
// importing 10,000 revisions (cold and warm compile cache). With --base DIR (a
// built checkout of another commit, node_modules linked in) every case also runs
// on that build, interleaved round by round so both see the same machine load.
// Prints medians of wall and CPU (user+sys of the process, esbuild's own process
// excluded) ms; asserts nothing.
// Usage: npm run build && node bench/read-path.mjs [rounds=7] [--base DIR] [--revisions N]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loaderModuleUrl } from './lib/loader-module.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 7);
const base = option('--base', undefined);
const revisionCount = Number(option('--revisions', 10_000));
const work = join(root, 'bench', 'work', 'read-path');
const builds = { current: root, ...(base ? { base: resolve(base) } : {}) };

async function makeProject(shape) {
  const dir = join(work, `${shape}-${revisionCount}`);
  if (existsSync(join(dir, 'migrations'))) return dir;
  const { generateAlembicTs } = await import(pathToFileURL(join(root, 'bench/gen/alembic-ts.mjs')).href);
  const { makeGraph } = await import(pathToFileURL(join(root, 'bench/lib/graph.mjs')).href);
  generateAlembicTs(dir, { revisions: makeGraph(shape, revisionCount), workload: 'ddl', url: 'sqlite:///./bench.db' });
  // Older than the header cache's racy window, as files of a real project are.
  execFileSync('touch', ['-d', '1 hour ago', ...['migrate.config.ts'].map((f) => join(dir, f))]);
  execFileSync('find', [join(dir, 'migrations'), '-type', 'f', '-exec', 'touch', '-d', '1 hour ago', '{}', '+']);
  return dir;
}

/** Runs node with `args` in `cwd`; wall and CPU ms of that process (from /proc via `time`-like rusage). */
function measure(nodeArgs, cwd, env) {
  const script = `const { spawnSync } = require('node:child_process');
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ${JSON.stringify(nodeArgs)}, { cwd: ${JSON.stringify(cwd)}, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    const usage = process.resourceUsage();
    if (child.status !== 0) { process.stderr.write(String(child.stderr)); process.exit(1); }
    // ru_*time of reaped children: resourceUsage() is ours, so read the children's from /proc/self/stat.
    const stat = require('node:fs').readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const ticks = Number(stat[13]) + Number(stat[14]); // cutime, cstime (fields 16, 17)
    process.stdout.write(JSON.stringify({ wall, cpu: ticks * 10 }));`;
  const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`node ${nodeArgs.join(' ')} in ${cwd} failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const linear = await makeProject('linear');
const branchy = await makeProject('branchy');
const cacheOf = (name) => join(work, 'cache', name);

const loaderUrls = {};
for (const build of Object.values(builds)) loaderUrls[build] = await loaderModuleUrl(build);
const importScript = (build, dir) => `
  import { readdirSync } from 'node:fs';
  const { importFiles } = await import(${JSON.stringify(loaderUrls[build])});
  const dir = ${JSON.stringify(join(dir, 'migrations'))};
  const files = readdirSync(dir).sort().map((name) => ({ path: dir + '/' + name }));
  const modules = await importFiles(files);
  if (typeof modules.at(-1).upgrade !== 'function') throw new Error('not loaded');`;

/** Each case: how to run it for a build, and what to clear before a "cold" run. */
const cases = [
  { name: '--version (sample app)', cwd: root, args: (b) => [join(b, 'bin/migrate.js'), '--version'] },
  { name: 'heads (sample app)', cwd: root, args: (b) => [join(b, 'bin/migrate.js'), 'heads'] },
  { name: `heads, ${revisionCount} linear, warm`, cwd: linear, args: (b) => [join(b, 'bin/migrate.js'), 'heads'] },
  { name: `history, ${revisionCount} linear, warm`, cwd: linear, args: (b) => [join(b, 'bin/migrate.js'), 'history'] },
  { name: `heads, ${revisionCount} branchy, warm`, cwd: branchy, args: (b) => [join(b, 'bin/migrate.js'), 'heads'] },
  { name: `heads, ${revisionCount} linear, no header cache`, cwd: linear, args: (b) => [join(b, 'bin/migrate.js'), 'heads'], clearHeaders: true },
  { name: `import ${revisionCount} revisions, warm`, cwd: linear, args: (b) => ['--input-type=module', '-e', importScript(b, linear)] },
  { name: `import ${revisionCount} revisions, cold`, cwd: linear, args: (b) => ['--input-type=module', '-e', importScript(b, linear)], clearAll: true, rounds: Math.min(rounds, 3) },
];

const results = {};
for (const testCase of cases) {
  for (const [label, build] of Object.entries(builds)) {
    const cacheDir = cacheOf(`${label}-${testCase.cwd === root ? 'sample' : 'big'}`);
    // Warm-up run: compiles the config, fills the caches.
    measure(testCase.args(build), testCase.cwd, { MIGRATE_CACHE_DIR: cacheDir });
  }
  for (let round = 0; round < (testCase.rounds ?? rounds); round++) {
    for (const [label, build] of Object.entries(builds)) {
      const cacheDir = cacheOf(`${label}-${testCase.cwd === root ? 'sample' : 'big'}`);
      if (testCase.clearAll) {
        rmSync(cacheDir, { recursive: true, force: true });
      } else if (testCase.clearHeaders && existsSync(cacheDir)) {
        for (const name of readdirSafe(cacheDir)) if (name.startsWith('headers-')) rmSync(join(cacheDir, name));
      }
      const key = `${testCase.name}|${label}`;
      (results[key] ??= []).push(measure(testCase.args(build), testCase.cwd, { MIGRATE_CACHE_DIR: cacheDir }));
    }
  }
}

function readdirSafe(dir) {
  try {
    return execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

const rows = [];
for (const testCase of cases) {
  const row = { case: testCase.name };
  for (const label of Object.keys(builds)) {
    const runs = results[`${testCase.name}|${label}`];
    row[`${label} wall`] = median(runs.map((r) => r.wall)).toFixed(0);
    row[`${label} cpu`] = median(runs.map((r) => r.cpu)).toFixed(0);
  }
  rows.push(row);
}
const baseline = Array.from({ length: rounds }, () => measure(['-e', '0'], root, {}));
console.table(rows);
console.log(`node -e 0: wall ${median(baseline.map((r) => r.wall)).toFixed(0)} ms, cpu ${median(baseline.map((r) => r.cpu)).toFixed(0)} ms`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs; ${readFileSync('/proc/version', 'utf8').split(' ').slice(0, 3).join(' ')}`);
