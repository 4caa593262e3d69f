/**
 * Every kind of bad input a user can give ends in one line on stderr, `FAILED: …`,
 * that names the file (and line, where there is one), exit status 1, nothing on
 * stdout and no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../api/support-scaffold.js';
import { MIGRATE_BIN, type CliResult } from '../support/cli.js';

const CONFIG = "export default { url: 'sqlite:///app.db', scriptLocation: 'migrations' };\n";

function revision(id: string, down: string | null, extra = ''): string {
  return `/**
 * rev ${id}
 */
export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};
${extra}
export async function upgrade(): Promise<void> {}
export async function downgrade(): Promise<void> {}
`;
}

function expectOneFailedLine(result: CliResult, ...fragments: (string | RegExp)[]): void {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^FAILED: /);
  for (const fragment of fragments) expect(lines[0]).toMatch(fragment);
}

describe('bad input gives one FAILED line', () => {
  it('a syntax error in a revision header names the file and line', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', "/** x */\nexport const revision = 'a1;\nexport const downRevision = null;\n");
    expectOneFailedLine(p.run('heads'), /a1_x\.ts:2/);
  });

  it('a compile cache folder that cannot be written names it and says what to do', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null));
    p.write('blocked', ''); // a file where the folder would be
    expectOneFailedLine(
      p.runWith({ MIGRATE_CACHE_DIR: `${p.dir}/blocked` }, 'heads'),
      /Cannot write the compile cache in .*blocked \(EEXIST/,
      /point MIGRATE_CACHE_DIR at one that is/,
    );
  });

  it('a syntax error in a revision body names the file and line when it runs', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null, 'export const broken = (;\n'));
    expect(p.run('heads').status).toBe(0); // the header alone is fine
    expectOneFailedLine(p.run('upgrade', 'head'), /a1_x\.ts:\d+/);
  });

  it('a non-literal header field names the file and line', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', "/** x */\nconst base = 'a0';\nexport const revision = 'a1';\nexport const downRevision = base;\n");
    expectOneFailedLine(p.run('history'), /a1_x\.ts:4/, /downRevision/);
  });

  it('duplicate revision ids name both files', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null));
    p.write('migrations/a1_y.ts', revision('a1', null));
    expectOneFailedLine(p.run('heads'), /a1_x\.ts/, /a1_y\.ts/);
  });

  it('a missing parent names the file and the missing id', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/b2_x.ts', revision('b2', 'zz99'));
    expectOneFailedLine(p.run('heads'), /b2_x\.ts/, /zz99/);
  });

  it('a cycle names the revisions on it', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null));
    p.write('migrations/b2_x.ts', revision('b2', 'c3'));
    p.write('migrations/c3_x.ts', revision('c3', 'b2'));
    expectOneFailedLine(p.run('history'), /cycle/i, /b2/, /c3/);
  });

  it('a duplicate branch label names both files', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null, "export const branchLabels = ['shop'];"));
    p.write('migrations/b2_x.ts', revision('b2', null, "export const branchLabels = ['shop'];"));
    expectOneFailedLine(p.run('branches'), /shop/, /a1_x\.ts|b2_x\.ts/);
  });

  it('an id over 32 characters names the file', () => {
    const p = tempProject(CONFIG);
    const id = 'a'.repeat(33);
    p.write('migrations/long_x.ts', revision(id, null));
    expectOneFailedLine(p.run('heads'), /long_x\.ts/, /32/);
  });

  it('a missing config says where it looked and how to start', () => {
    const p = tempProject();
    expectOneFailedLine(p.run('heads'), /migrate\.config/, /migrate init/);
  });

  it('a config that throws names the config and its message', () => {
    const p = tempProject("throw new Error('no DATABASE_URL set');\nexport default {};\n");
    expectOneFailedLine(p.run('heads'), /migrate\.config\.ts/, /no DATABASE_URL set/);
  });

  it('an unknown command', () => {
    const p = tempProject(CONFIG);
    expectOneFailedLine(p.run('upgrde', 'head'), /unknown command 'upgrde'/);
  });

  it('an unknown target, for read and run commands', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null));
    expectOneFailedLine(p.run('show', 'nope'), /nope/);
    expectOneFailedLine(p.run('upgrade', 'nope'), /nope/);
    expectOneFailedLine(p.run('history', '-r', 'nope:'), /nope/);
  });

  it('--raiseerr adds the stack trace', () => {
    const p = tempProject(CONFIG);
    p.write('migrations/a1_x.ts', revision('a1', null));
    const result = p.run('--raiseerr', 'show', 'nope');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: .*nope/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('a revision that throws: one line, and with --raiseerr its own stack at its TypeScript line', () => {
    const p = tempProject(CONFIG);
    // The type annotations move the compiled lines: only a source map gives line 6 back.
    p.write(
      'migrations/a1_x.ts',
      revision('a1', null).replace(
        'export async function upgrade(): Promise<void> {}',
        'interface Row {\n  id: number;\n}\nexport async function upgrade(): Promise<void> {\n  const row: Row = { id: 1 };\n  if (row.id === 1) throw new Error(`boom ${row.id}`);\n}',
      ),
    );
    expectOneFailedLine(p.run('upgrade', 'head'), /upgrade of a1 .*failed: boom 1; the database is at base/);
    const result = p.run('--raiseerr', 'upgrade', 'head');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: upgrade of a1 /);
    expect(result.stderr).toMatch(/\nCaused by: Error: boom 1\n\s+at .*upgrade \(.*migrations\/a1_x\.ts:12:\d+\)/);
    // alembic-ts's own frames, through the maps shipped beside dist/.
    expect(result.stderr).toMatch(/\n\s+at .*src\/runtime\/runner\.ts:\d+:\d+/);
  });
});

describe('output through a pipe', () => {
  // 3,000 lines of ~60 bytes: more than a pipe holds.
  const longHistory = () => {
    const p = tempProject(CONFIG);
    let down: string | null = null;
    for (let index = 0; index < 3000; index++) {
      const id = `r${String(index).padStart(5, '0')}`;
      p.write(`migrations/${id}_step.ts`, revision(id, down));
      down = id;
    }
    return p;
  };

  it('history into a reader that starts late: every line arrives before the process exits', () => {
    const p = longHistory();
    // The CLI exits as soon as its output is flushed, not when the event loop empties.
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${MIGRATE_BIN}" history | (sleep 0.3; cat)`], {
      cwd: p.dir,
      env: { ...process.env, MIGRATE_CACHE_DIR: `${p.dir}/.cache` },
      encoding: 'utf8',
    });
    const lines = piped.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    expect(lines[0]).toBe('r02998 -> r02999 (head), rev r02999');
    expect(lines[2999]).toBe('<base> -> r00000, rev r00000');
    expect(piped.status).toBe(0);
  });

  it('history piped into head: the first lines, exit 0, and no stack trace for the closed pipe', () => {
    const p = longHistory();
    // The writer meets the closed end.
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${MIGRATE_BIN}" history | head -n 2`], {
      cwd: p.dir,
      env: { ...process.env, MIGRATE_CACHE_DIR: `${p.dir}/.cache` },
      encoding: 'utf8',
    });
    expect(piped.stdout).toBe('r02998 -> r02999 (head), rev r02999\nr02997 -> r02998, rev r02998\n');
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
  });
});
