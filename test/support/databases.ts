/**
 * The one parametrised database harness: every database test runs on SQLite,
 * PostgreSQL and MySQL/MariaDB, each in a scratch database it creates and drops.
 * Outside CI a server that does not answer skips its part with a visible notice;
 * with CI=true it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { describe, beforeAll, afterAll, it } from 'vitest';
import type { DialectName } from '../../src/config/types.js';

export interface ScratchDatabase {
  readonly dialect: DialectName;
  /** URL for migrate.config / the CLI (SQLite: a file in a temp folder). */
  readonly url: string;
  /** Name of the scratch database (file path for SQLite). */
  readonly database: string;
  /** A knex instance connected to the scratch database, for assertions. */
  readonly knex: Knex;
}

const PG_ADMIN = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const MYSQL_ADMIN = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgresql', 'mysql'];

const availability = new Map<DialectName, Promise<string | null>>();

/** null when the server answers; otherwise why not. */
export function serverProblem(dialect: DialectName): Promise<string | null> {
  if (dialect === 'sqlite') return Promise.resolve(null);
  let known = availability.get(dialect);
  if (!known) {
    known = (async () => {
      const admin = adminKnex(dialect);
      try {
        await admin.raw('select 1');
        return null;
      } catch (error) {
        return (error as Error).message;
      } finally {
        await admin.destroy();
      }
    })();
    availability.set(dialect, known);
  }
  return known;
}

function adminKnex(dialect: DialectName): Knex {
  return dialect === 'postgresql'
    ? knexFactory({ client: 'pg', connection: PG_ADMIN, pool: { min: 0, max: 1 } })
    : knexFactory({ client: 'mysql2', connection: MYSQL_ADMIN, pool: { min: 0, max: 1 } });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

/** Creates a scratch database; call drop() when done. */
export async function createScratchDatabase(dialect: DialectName): Promise<ScratchDatabase & { drop(): Promise<void> }> {
  const name = `mt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-test-'));
    const file = join(dir, 'test.db');
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    return {
      dialect, url: `sqlite:///${file}`, database: file, knex,
      async drop() {
        await knex.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = adminKnex(dialect);
  await admin.raw(dialect === 'postgresql' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\``);
  await admin.destroy();
  const url = withDatabase(dialect === 'postgresql' ? PG_ADMIN : MYSQL_ADMIN, name);
  const knex = knexFactory({ client: dialect === 'postgresql' ? 'pg' : 'mysql2', connection: url, pool: { min: 0, max: 2 } });
  return {
    dialect, url, database: name, knex,
    async drop() {
      await knex.destroy();
      const again = adminKnex(dialect);
      try {
        if (dialect === 'postgresql') await again.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        else await again.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await again.destroy();
      }
    },
  };
}

/**
 * describe() once per database. `fn` receives a getter for the suite's scratch
 * database (created in beforeAll, dropped in afterAll).
 */
export function describeEachDatabase(title: string, fn: (db: () => ScratchDatabase) => void, dialects: readonly DialectName[] = DIALECTS): void {
  for (const dialect of dialects) {
    describe(`${title} [${dialect}]`, () => {
      let scratch: (ScratchDatabase & { drop(): Promise<void> }) | undefined;
      let skipped: string | null = null;
      beforeAll(async () => {
        skipped = await serverProblem(dialect);
        if (skipped) {
          if (process.env.CI === 'true') throw new Error(`${dialect} server is not reachable in CI: ${skipped}`);
          console.warn(`NOTICE: skipping ${dialect} tests of "${title}": server not reachable (${skipped})`);
          return;
        }
        scratch = await createScratchDatabase(dialect);
      });
      afterAll(async () => {
        await scratch?.drop();
      });
      const get = () => {
        if (!scratch) throw new SkipDatabase();
        return scratch;
      };
      fn(get);
    });
  }
}

class SkipDatabase extends Error {}

/**
 * it() that is skipped (with the notice printed once in beforeAll) when the suite's
 * server is down outside CI. Use inside describeEachDatabase.
 */
export function itDb(name: string, body: (ctx: { skip: () => void }) => Promise<void> | void, timeout?: number): void {
  it(name, async (ctx) => {
    try {
      await body({ skip: () => ctx.skip() });
    } catch (error) {
      if (error instanceof SkipDatabase) ctx.skip();
      else throw error;
    }
  }, timeout);
}
