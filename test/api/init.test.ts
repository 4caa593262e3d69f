import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from './support-scaffold.js';

describe('migrate init', () => {
  it('generic: writes migrate.config.ts in cwd and the scripts folder, with Alembic-style lines', () => {
    const p = tempProject();
    const result = p.run('init');
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n')).toEqual([
      `Creating directory ${join(p.dir, 'migrations')} ...  done`,
      `Generating ${join(p.dir, 'migrations/README')} ...  done`,
      `Generating ${join(p.dir, 'migrations/script.ts.ejs')} ...  done`,
      `Generating ${join(p.dir, 'migrate.config.ts')} ...  done`,
      `Please edit the database URL in '${join(p.dir, 'migrate.config.ts')}' before proceeding.`,
      '',
    ]);
    expect(p.read('migrate.config.ts')).toContain("scriptLocation: 'migrations'");
    // The new project works: a revision can be made at once.
    expect(p.run('revision', '-m', 'first').status).toBe(0);
    expect(p.revisionFiles()).toHaveLength(1);
  });

  it('takes a folder and -t multidb: targets, one folder per target, a shared template', () => {
    const p = tempProject();
    expect(p.run('init', 'db/migrations', '-t', 'multidb').status).toBe(0);
    const config = p.read('migrate.config.ts');
    expect(config).toContain('targets: {');
    expect(config).toContain("scriptLocation: 'db/migrations/primary'");
    expect(config).toContain("template: 'db/migrations/script.ts.ejs'");
    expect(existsSync(join(p.dir, 'db/migrations/analytics'))).toBe(true);
    const made = p.run('-n', 'analytics', 'revision', '-m', 'create events');
    expect(made.status).toBe(0);
    expect(p.revisionFiles('db/migrations/analytics')).toHaveLength(1);
    const noName = p.run('revision', '-m', 'x');
    expect(noName.status).toBe(1);
    expect(noName.stderr).toMatch(/^FAILED: .*several targets \(primary, analytics\): pick one with -n NAME\.\n$/);
  });

  it('refuses a non-empty folder, and an unknown template', () => {
    const p = tempProject();
    mkdirSync(join(p.dir, 'migrations'));
    writeFileSync(join(p.dir, 'migrations/keep.txt'), 'x');
    const refused = p.run('init');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`FAILED: Directory ${join(p.dir, 'migrations')} already exists and is not empty: pick another folder, or empty it.\n`);
    expect(existsSync(join(p.dir, 'migrate.config.ts'))).toBe(false);
    const unknown = p.run('init', 'other', '-t', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^FAILED: No template 'nope': the templates are generic, multidb/);
  });

  it('leaves an existing config alone, as Alembic does', () => {
    const p = tempProject('export default { versionTable: "mine" };\n');
    const result = p.run('init', 'scripts');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`File ${join(p.dir, 'migrate.config.ts')} already exists, skipping`);
    expect(readFileSync(join(p.dir, 'migrate.config.ts'), 'utf8')).toBe('export default { versionTable: "mine" };\n');
  });

  it('list-templates (and list_templates) prints the templates', () => {
    const p = tempProject();
    for (const command of ['list-templates', 'list_templates']) {
      const result = p.run(command);
      expect(result.status).toBe(0);
      expect(result.lines.slice(0, 4)).toEqual([
        'Available templates:',
        '',
        'generic - Generic single-database configuration.',
        'multidb - Multi-database configuration: one folder of revisions per target of migrate.config.ts.',
      ]);
    }
  });
});
