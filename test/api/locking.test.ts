/** Concurrent runners, lock timeouts and killed runners, through the built CLI. */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { describeEachDatabase, itDb, type ScratchDatabase } from '../support/databases.js';
import { runCli, startCli } from '../support/cli.js';
import { createProject, loggingRevisions } from './project-fixture.js';

async function tables(db: ScratchDatabase): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['run_log', 't1', 't2', 't3']) if (await db.knex.schema.hasTable(table)) found.push(table);
  return found;
}

async function reset(db: ScratchDatabase): Promise<void> {
  for (const table of ['run_log', 't1', 't2', 't3', 'migrate_version', 'migrate_history']) await db.knex.schema.dropTableIfExists(table);
}

async function versionRows(db: ScratchDatabase): Promise<string[]> {
  if (!(await db.knex.schema.hasTable('migrate_version'))) return [];
  return ((await db.knex('migrate_version').select('version_num')) as { version_num: string }[]).map((r) => r.version_num).sort();
}

async function waitFor(condition: () => boolean, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; runner stderr: ${stderr()}`);
}

describeEachDatabase('locking and crashes (CLI)', (db) => {
  const project = createProject(loggingRevisions);
  const env = () => ({ DATABASE_URL: db().url });

  itDb('eight runners at once: all exit 0 and every migration runs exactly once', async () => {
    await reset(db());
    const runners = Array.from({ length: 8 }, () => startCli(['upgrade', 'head', '-x', 'sleepAt=r2', '-x', 'sleep=200'], { cwd: project, env: env() }));
    const results = await Promise.all(runners.map((r) => r.done));
    for (const result of results) expect(result.status, result.stderr).toBe(0);
    const log = (await db().knex('run_log').select('revision')) as { revision: string }[];
    expect(log.map((r) => r.revision).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(await versionRows(db())).toEqual(['r3']);
    expect(await db().knex('migrate_history').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(3);
    // One runner did the work; the others said they waited, or found nothing to do.
    const ran = results.filter((r) => r.stderr.includes('Running upgrade  -> r1'));
    expect(ran.length).toBe(1);
    expect(results.filter((r) => r.stderr.includes('Nothing to do: the database is at r3')).length).toBe(7);
  }, 120_000);

  itDb('a runner blocked past lockTimeout exits 1 naming the holder; killing the holder leaves nothing behind', async () => {
    await reset(db());
    const marker = join(project, `marker-${db().dialect}`);
    rmSync(marker, { force: true });
    const holder = startCli(['upgrade', 'head', '-x', `marker=${marker}`, '-x', 'markAt=r2', '-x', 'sleepAt=r2'], { cwd: project, env: env() });
    try {
      await waitFor(() => existsSync(marker), 'the first runner to reach r2', holder.stderrSoFar);
      const blocked = runCli(['upgrade', 'head'], { cwd: project, env: { ...env(), LOCK_TIMEOUT: '700' } });
      expect(blocked.status).toBe(1);
      const failed = blocked.stderr.split('\n').filter((line) => line.startsWith('FAILED:'));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatch(/^FAILED: Gave up after 700 ms waiting for the migration lock held by /);
      if (db().dialect === 'postgresql') expect(failed[0]).toContain(`(alembic-ts ${holder.child.pid})`);
      expect(blocked.stderr).toMatch(/^Waiting for the migration lock held by /m);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.done;
    }
    // Whole-run mode: the killed run leaves transactional-DDL databases exactly as before.
    if (db().dialect === 'mysql') {
      expect(await versionRows(db())).toEqual(['r1']);
    } else {
      expect(await tables(db())).toEqual([]);
      expect(await versionRows(db())).toEqual([]);
    }
    // And no stuck lock: the next runner goes straight through.
    const next = runCli(['upgrade', 'head'], { cwd: project, env: { ...env(), LOCK_TIMEOUT: '5000' } });
    if (db().dialect === 'mysql') {
      // r2's CREATE TABLE had committed itself before the kill: the rerun gets past the
      // lock and stops at r2 with the database's own error (docs/runtime.md, MySQL).
      expect(next.status).toBe(1);
      expect(next.stderr).toMatch(/^FAILED: upgrade of r2 \(migrations\/r2_rev\.ts\) failed: .*Table 't2' already exists; the database is at r1/m);
    } else {
      expect(next.status, next.stderr).toBe(0);
      expect(await versionRows(db())).toEqual(['r3']);
    }
  }, 120_000);

  itDb('a runner killed mid-run with transactionPerMigration leaves the last finished revision', async () => {
    await reset(db());
    const marker = join(project, `marker-pm-${db().dialect}`);
    rmSync(marker, { force: true });
    const runner = startCli(['upgrade', 'head', '-x', `marker=${marker}`, '-x', 'markAt=r2', '-x', 'sleepAt=r2'], { cwd: project, env: { ...env(), PER_MIGRATION: '1' } });
    await waitFor(() => existsSync(marker), 'the runner to reach r2', runner.stderrSoFar);
    runner.child.kill('SIGKILL');
    await runner.done;
    expect(await versionRows(db())).toEqual(['r1']);
    expect(await tables(db())).toEqual(db().dialect === 'mysql' ? ['run_log', 't1', 't2'] : ['run_log', 't1']);
    expect(((await db().knex('run_log').select('revision')) as { revision: string }[]).map((r) => r.revision)).toEqual(db().dialect === 'mysql' ? ['r1', 'r2'] : ['r1']);
    expect(((await db().knex('migrate_history').select('revision')) as { revision: string }[]).map((r) => r.revision)).toEqual(['r1']);
  }, 120_000);
});
