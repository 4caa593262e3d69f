// Scratch databases: SQLite files under bench/work and PostgreSQL databases the bench
// creates and drops on 127.0.0.1:5432 (user postgres), never touching any other.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** Every scratch database the bench makes starts with this, so cleanup can't hit others. */
const PG_PREFIX = 'bench_scratch_';

export function pgUrl(database) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export function scratchName(label) {
  return `${PG_PREFIX}${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`.slice(0, 63);
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function postgresProblem() {
  try {
    await withClient(PG_ADMIN_URL, (c) => c.query('select 1'));
    return null;
  } catch (error) {
    return error.message;
  }
}

/** Drops and recreates a scratch database; runs `setupSql` in it. Returns its URL. */
export async function freshPostgres(name, setupSql = []) {
  if (!name.startsWith(PG_PREFIX)) throw new Error(`refusing to touch database ${name}`);
  await withClient(PG_ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = pgUrl(name);
  if (setupSql.length) await withClient(url, async (c) => { for (const sql of setupSql) await c.query(sql); });
  return url;
}

export async function dropPostgres(name) {
  if (!name.startsWith(PG_PREFIX)) throw new Error(`refusing to touch database ${name}`);
  await withClient(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops every database a previous, interrupted bench left behind. */
export async function dropLeftoverPostgres() {
  const names = await withClient(PG_ADMIN_URL, async (c) =>
    (await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PG_PREFIX}%`])).rows.map((r) => r.datname),
  );
  for (const name of names) await dropPostgres(name);
}

export function freshSqlite(file, setupSql = []) {
  mkdirSync(dirname(file), { recursive: true });
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  for (const sql of setupSql) db.exec(sql);
  db.close();
}

/** Runs read-only SQL for a sanity check of what a tool left behind; returns the first column of the first row. */
export async function scalar(dialect, target, sql) {
  if (dialect === 'sqlite') {
    if (!existsSync(target)) return null;
    const db = new Database(target, { readonly: true });
    try {
      return db.prepare(sql).pluck().get();
    } finally {
      db.close();
    }
  }
  return withClient(target, async (c) => Object.values((await c.query(sql)).rows[0] ?? {})[0] ?? null);
}

/** Count of user tables named t_% (the DDL workload's tables). */
export function ddlTableCountSql(dialect) {
  return dialect === 'sqlite'
    ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'"
    : "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 't\\_%'";
}
