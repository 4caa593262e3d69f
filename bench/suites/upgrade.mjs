// `upgrade head` then `downgrade base` of N linear revisions, every tool on the same steps.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { linearGraph } from '../lib/graph.mjs';
import { ddlTableCountSql, freshPostgres, freshSqlite, scalar, scratchName, dropPostgres } from '../lib/databases.mjs';
import { LIGHT_TABLE, lightTableSql } from '../lib/workloads.mjs';
import { TOOLS, WORK } from '../lib/tools.mjs';
import { interleaved, timedRun } from '../lib/cases.mjs';
import { generateAlembicTs } from '../gen/alembic-ts.mjs';
import { generateAlembic } from '../gen/alembic.mjs';
import { generateKnex } from '../gen/knex.mjs';
import { generateNodePgMigrate } from '../gen/node-pg-migrate.mjs';
import { generateFloor } from '../gen/floor.mjs';

const slug = (tool) => tool.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '');

export const UPGRADE_CASES = ['upgrade head', 'downgrade base'];

/**
 * alembic-ts runs twice: with its compile cache emptied before every run (a fresh
 * deploy: TypeScript loading included; the reference row) and with the cache that
 * those runs left (a developer's loop).
 */
export const WARM = 'alembic-ts (warm cache)';

function toolsFor(dialect, size, alembicMaxSize) {
  const tools = ['alembic-ts', WARM];
  if (dialect === 'sqlite' && size <= alembicMaxSize) tools.push('alembic');
  tools.push('knex');
  if (dialect === 'postgresql') tools.push('node-pg-migrate');
  tools.push('floor');
  return tools;
}

/** Where one tool's database lives: a SQLite file, or a scratch PostgreSQL database. */
function databaseFor(dialect, tool, groupDir) {
  if (dialect === 'sqlite') {
    const file = join(groupDir, `${slug(tool)}.db`);
    return { target: file, url: `sqlite:///${file}`, sqlalchemyUrl: `sqlite:///${file}`, knex: { client: 'better-sqlite3', connection: { filename: file } } };
  }
  const name = scratchName(tool);
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  return { name, target: url, url, sqlalchemyUrl: url, knex: { client: 'pg', connection: url } };
}

function generate(tool, dir, { revisions, workload, dialect, database, perStep }) {
  if (tool === 'alembic-ts') generateAlembicTs(dir, { revisions, workload, url: database.url, transactionPerMigration: perStep });
  else if (tool === 'alembic') generateAlembic(dir, { revisions, workload, url: database.sqlalchemyUrl });
  else if (tool === 'knex') generateKnex(dir, { revisions, workload, ...database.knex });
  else if (tool === 'node-pg-migrate') generateNodePgMigrate(dir, { revisions, workload });
  else generateFloor(dir, { revisions, workload, dialect });
}

/** Checks the steps really ran: N tables or N rows after the upgrade, none after the downgrade. */
function checker(dialect, workload, target, expected) {
  const sql = workload === 'light' ? `SELECT count(*) FROM ${LIGHT_TABLE}` : ddlTableCountSql(dialect);
  return async () => {
    const found = Number(await scalar(dialect, target, sql));
    return found === expected ? null : `expected ${expected} ${workload === 'light' ? 'rows' : 'tables'}, found ${found}`;
  };
}

/**
 * `plans`: [{ dialect, workload, sizes }]. `perStepTransactions(dialect, workload, size)`
 * says when every tool must commit per step (PostgreSQL's lock table can't hold 10k new
 * tables in one transaction).
 */
export async function runUpgradeSuite({ plans, runs, budgetMs, alembicMaxSize, perStepTransactions = () => false }) {
  const records = [];
  for (const { dialect, workload, sizes } of plans) {
    for (const size of sizes) {
      const revisions = linearGraph(size);
      const group = `${dialect} ${workload} ${size}`;
      const groupDir = join(WORK, 'upgrade', `${dialect}-${workload}-${size}`);
      const perStep = perStepTransactions(dialect, workload, size);
      const cases = [];
      const scratch = [];
      for (const tool of toolsFor(dialect, size, alembicMaxSize)) {
        process.stderr.write(`upgrade ${group}: ${tool}\n`);
        const program = tool === WARM ? 'alembic-ts' : tool;
        const dir = join(groupDir, program);
        const database = databaseFor(dialect, program, groupDir);
        if (dialect === 'postgresql' && tool !== WARM) scratch.push(database.name);
        // Both alembic-ts rows share one project, one database and one compile cache.
        const cacheDir = join(groupDir, 'alembic-ts-cache');
        if (tool !== WARM) generate(program, dir, { revisions, workload, dialect, database, perStep });
        const setupSql = workload === 'light' ? [lightTableSql(dialect)] : [];
        const fresh = () => (dialect === 'sqlite' ? freshSqlite(database.target, setupSql) : freshPostgres(database.name, setupSql));
        const withCache = (spec) => (program === 'alembic-ts' ? { ...spec, env: { ...spec.env, MIGRATE_CACHE_DIR: cacheDir } } : spec);
        const upgradeSpec = withCache(TOOLS[program].upgrade(dir, { target: database.target, perStep }));
        const downgradeSpec = withCache(TOOLS[program].downgrade(dir, { target: database.target, perStep }));
        const label = `upgrade-${dialect}-${workload}-${size}-${slug(tool)}`;
        cases.push({
          base: { suite: 'upgrade', group, tool },
          metrics: UPGRADE_CASES,
          runOnce: async () => {
            await fresh();
            if (tool === 'alembic-ts') rmSync(cacheDir, { recursive: true, force: true });
            const up = await timedRun(`${label}-up`, upgradeSpec, checker(dialect, workload, database.target, size));
            const down = await timedRun(`${label}-down`, downgradeSpec, checker(dialect, workload, database.target, 0));
            return { 'upgrade head': up, 'downgrade base': down };
          },
        });
      }
      // The tools take turns run by run (see interleaved). In the first round the cold run
      // comes before the warm one, so every warm run finds the cache a cold run left.
      records.push(...(await interleaved({ runs, budgetMs }, cases)));
      for (const name of scratch) await dropPostgres(name);
    }
  }
  return records;
}
