// Compares ways to import the user's TypeScript (config and revisions):
// tsx (tsImport, register), jiti, and alembic-ts's esbuild-to-cache loader
// (one file per import, or one batch bundle). Each case runs in a fresh node
// process, cold (empty caches) then warm. Prints a table; asserts nothing.
// Usage: npm run build && node bench/loader.mjs [revisionCount=1000] [rounds=3]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loaderModuleUrl } from './lib/loader-module.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 3);
const work = join(root, 'bench', 'work', 'loader');

function makeProject(type) {
  const dir = join(work, type);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bench-${type}`, type }));
  writeFileSync(join(dir, 'helpers.ts'), `export function table(name: string): string { return 'app_' + name; }\n`);
  writeFileSync(
    join(dir, 'migrate.config.ts'),
    `import { table } from './helpers.ts';\ninterface C { url: string; versionTable: string }\n` +
      `const config: C = { url: process.env.DATABASE_URL ?? 'sqlite:///app.db', versionTable: table('version') };\nexport default config;\n`,
  );
  let previous = null;
  for (let i = 0; i < count; i++) {
    const id = `r${String(i).padStart(11, '0')}`;
    const usesHelper = i % 10 === 0;
    writeFileSync(
      join(dir, 'migrations', `${id}_step.ts`),
      `/**\n * step ${i}\n *\n * Revision ID: ${id}\n * Revises: ${previous ?? ''}\n */\n` +
        `import type { Operations } from 'alembic-ts';\n` +
        (usesHelper ? `import { table } from '../helpers.ts';\n` : '') +
        `export const revision = '${id}';\nexport const downRevision: string | null = ${previous ? `'${previous}'` : 'null'};\n` +
        `export const branchLabels: string[] | null = null;\nexport const dependsOn: string | string[] | null = null;\n\n` +
        `export async function upgrade(op: Operations): Promise<void> {\n  await (op as any).execute(\`create table ${usesHelper ? "${table('t" + i + "')}" : 't' + i} (id integer)\`);\n}\n\n` +
        `export async function downgrade(op: Operations): Promise<void> {\n  await (op as any).execute('drop table t${i}');\n}\n`,
    );
    previous = id;
  }
  return dir;
}

const loaderUrl = await loaderModuleUrl(root);

// Each snippet defines `files` (absolute paths) and imports them all.
const approaches = {
  'tsx tsImport': `const { tsImport } = await import('tsx/esm/api');
    for (const f of files) await tsImport(pathToFileURL(f).href, import.meta.url);`,
  'tsx register': `const { register } = await import('tsx/esm/api'); register();
    for (const f of files) await import(pathToFileURL(f).href);`,
  'jiti': `const { createJiti } = await import('jiti'); const jiti = createJiti(import.meta.url, { fsCache: process.env.JITI_CACHE });
    for (const f of files) await jiti.import(f);`,
  'esbuild cache, per file': `const { importFile } = await import(${JSON.stringify(loaderUrl)});
    for (const f of files) await importFile(f);`,
  'esbuild cache, batch': `const { importFiles } = await import(${JSON.stringify(loaderUrl)});
    await importFiles(files.map((path) => ({ path })));`,
};

function runCase(dir, code, files, cacheRoot) {
  const script = `import { pathToFileURL } from 'node:url';
    const files = ${JSON.stringify(files)};
    const t0 = performance.now();
    ${code}
    process.stdout.write(String(performance.now() - t0) + ' ' + performance.now());`;
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      ...process.env,
      TMPDIR: join(cacheRoot, 'tmp'),
      MIGRATE_CACHE_DIR: join(cacheRoot, 'migrate'),
      JITI_CACHE: join(cacheRoot, 'jiti'),
      NODE_PATH: join(root, 'node_modules'),
    },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const [inside] = out.trim().split(' ').map(Number);
  return { inside, wall };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows = [];
const failures = [];
for (const type of ['module', 'commonjs']) {
  const dir = makeProject(type);
  // tsx and jiti are resolved from the project: link ours in.
  execFileSync('ln', ['-sfn', join(root, 'node_modules'), join(dir, 'node_modules')]);
  const revisions = Array.from({ length: count }, (_, i) => join(dir, 'migrations', `r${String(i).padStart(11, '0')}_step.ts`));
  const workloads = {
    config: [join(dir, 'migrate.config.ts')],
    '1 revision': revisions.slice(0, 1),
    [`${count} revisions`]: revisions,
  };
  for (const [workload, files] of Object.entries(workloads)) {
    for (const [name, code] of Object.entries(approaches)) {
      if (name === 'tsx tsImport' && files.length > 100) continue; // one loader namespace per call: minutes
      const cold = [], warm = [];
      for (let round = 0; round < rounds; round++) {
        const cacheRoot = join(work, 'caches', `${type}-${round}`);
        rmSync(cacheRoot, { recursive: true, force: true });
        mkdirSync(join(cacheRoot, 'tmp'), { recursive: true });
        try {
          cold.push(runCase(dir, code, files, cacheRoot));
          warm.push(runCase(dir, code, files, cacheRoot));
        } catch (error) {
          failures.push(`${type} / ${workload} / ${name}: ${String(error.stderr).split('\n').find((l) => /Error/.test(l))}`);
          break;
        }
      }
      if (cold.length === 0) { rows.push({ project: type, workload, approach: name, 'cold ms': 'fails' }); continue; }
      rows.push({
        project: type, workload, approach: name,
        'cold ms': median(cold.map((r) => r.inside)).toFixed(0),
        'warm ms': median(warm.map((r) => r.inside)).toFixed(0),
        'warm process ms': median(warm.map((r) => r.wall)).toFixed(0),
      });
    }
  }
}
const baseline = [];
for (let round = 0; round < rounds; round++) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  baseline.push(Number(process.hrtime.bigint() - started) / 1e6);
}
console.table(rows);
for (const failure of failures) console.log('FAILED ' + failure);
console.log(`node -e 0: ${median(baseline).toFixed(0)} ms`);
