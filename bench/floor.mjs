#!/usr/bin/env node
// The floor: what any migration tool must at least do. Runs the same statements and
// version-row changes as the tools, through the bare driver, in one transaction
// (or one per step with --transaction-per-step).
//   node bench/floor.mjs <steps.json> <sqlite-file | postgresql-url> upgrade|downgrade [--transaction-per-step] [--files DIR]
//
// --files DIR, "the file floor": the least a tool that keeps each revision in a code file
// must add. It stats every file in DIR (an edited revision must not be served from a
// cache) and runs each step's statements from a function of one plain JS script loaded
// with V8's code cache (steps.<direction>.js beside steps.json, made by the first run;
// its cache holds that direction's functions only), instead of from the JSON. No
// TypeScript, no headers, no graph, no lock, no history: a bound, not a tool.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';

const [stepsFile, target, direction, ...flags] = process.argv.slice(2);
const perStep = flags.includes('--transaction-per-step');
const filesDir = flags.includes('--files') ? flags[flags.indexOf('--files') + 1] : undefined;
const { dialect, steps } = JSON.parse(readFileSync(stepsFile, 'utf8'));
const stepCode = filesDir === undefined ? undefined : loadStepCode(filesDir);

/** One async function per step (by revision), from a code-cached script; every file of `dir` stat'ed first. */
function loadStepCode(dir) {
  for (const name of readdirSync(dir)) statSync(`${dir}/${name}`);
  const file = stepsFile.replace(/\.json$/, `.${direction}.js`);
  if (!existsSync(file)) {
    const functions = steps.map((step) => `async (db) => {\n${step[direction === 'upgrade' ? 'up' : 'down'].map((sql) => `  await db.run(${JSON.stringify(sql)});\n`).join('')}}`);
    writeFileSync(file, `(function () { return [\n${functions.join(',\n')}\n]; })`);
  }
  const cacheFile = `${file}.v8`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
  const functions = script.runInThisContext()();
  return { byRevision: new Map(steps.map((step, index) => [step.rev, functions[index]])), saveCache: () => cachedData === undefined && writeFileSync(cacheFile, script.createCachedData()) };
}
const VERSION_TABLE = 'floor_version';

/** The minimal driver surface: run a statement, read a column of rows. */
async function connect() {
  if (dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target);
    return {
      run: async (sql, params = []) => void db.prepare(sql).run(...params),
      column: async (sql) => db.prepare(sql).pluck().all(),
      close: async () => db.close(),
    };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  return {
    run: async (sql, params = []) => void (await client.query(sql, params)),
    column: async (sql) => (await client.query({ text: sql, rowMode: 'array' })).rows.map((row) => row[0]),
    close: async () => client.end(),
  };
}

/** Which steps to run, in order, from the version row the database holds. */
function pendingSteps(current) {
  const at = current === undefined ? -1 : steps.findIndex((step) => step.rev === current);
  return direction === 'upgrade' ? steps.slice(at + 1) : steps.slice(0, at + 1).reverse();
}

async function runStep(db, step) {
  if (stepCode) await stepCode.byRevision.get(step.rev)(db);
  if (direction === 'upgrade') {
    if (!stepCode) for (const sql of step.up) await db.run(sql);
    if (step.parent === null) await db.run(`INSERT INTO ${VERSION_TABLE} (version_num) VALUES (${placeholder(1)})`, [step.rev]);
    else await db.run(updateSql(), [step.rev, step.parent]);
  } else {
    if (!stepCode) for (const sql of step.down) await db.run(sql);
    if (step.parent === null) await db.run(`DELETE FROM ${VERSION_TABLE} WHERE version_num = ${placeholder(1)}`, [step.rev]);
    else await db.run(updateSql(), [step.parent, step.rev]);
  }
}

const placeholder = (n) => (dialect === 'sqlite' ? '?' : `$${n}`);
const updateSql = () => `UPDATE ${VERSION_TABLE} SET version_num = ${placeholder(1)} WHERE version_num = ${placeholder(2)}`;

const db = await connect();
try {
  await db.run('BEGIN');
  await db.run(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)`);
  const [current] = await db.column(`SELECT version_num FROM ${VERSION_TABLE}`);
  for (const step of pendingSteps(current)) {
    await runStep(db, step);
    if (perStep) {
      await db.run('COMMIT');
      await db.run('BEGIN');
    }
  }
  await db.run('COMMIT');
} finally {
  await db.close();
}
stepCode?.saveCache();
