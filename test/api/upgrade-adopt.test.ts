/** versionTable: 'alembic_version' adopts a database that Alembic 1.8 itself migrated. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createProject } from './project-fixture.js';

const PYTHON = '/usr/bin/python3';
const hasAlembic = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-m', 'alembic', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('adopting an Alembic database', () => {
  it.skipIf(!hasAlembic)('reads and continues the alembic_version table Alembic wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adopt-'));
    const database = join(dir, 'app.db');
    const alembic = (...args: string[]) => execFileSync(PYTHON, ['-m', 'alembic', ...args], { cwd: dir, stdio: 'pipe' });
    alembic('init', '-t', 'generic', 'alembic');
    const ini = join(dir, 'alembic.ini');
    execFileSync('sed', ['-i', `s#^sqlalchemy.url.*#sqlalchemy.url = sqlite:///${database}#`, ini]);
    alembic('revision', '-m', 'first', '--rev-id', 'ab01');
    alembic('upgrade', 'head');

    const project = createProject([
      { id: 'ab01', message: 'first' },
      { id: 'ab02', down: 'ab01', message: 'second', upgrade: "await op.execute('CREATE TABLE adopted (id INTEGER)');" },
    ], "versionTable: 'alembic_version',");
    const env = { DATABASE_URL: `sqlite:///${database}` };
    expect(runCli(['current'], { cwd: project, env }).lines).toEqual(['ab01']);
    const up = runCli(['upgrade', 'head'], { cwd: project, env });
    expect(up.status, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/^Running upgrade ab01 -> ab02, second/m);

    // Alembic still reads its table: it sees our revision id.
    writeFileSync(join(dir, 'alembic', 'versions', 'ab02_second.py'), `revision = 'ab02'\ndown_revision = 'ab01'\nbranch_labels = None\ndepends_on = None\ndef upgrade(): pass\ndef downgrade(): pass\n`);
    expect(alembic('current').toString().trim()).toBe('ab02 (head)');
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: database }, useNullAsDefault: true });
    try {
      expect(await knex('alembic_version').select('version_num')).toEqual([{ version_num: 'ab02' }]);
    } finally {
      await knex.destroy();
    }
  });
});
