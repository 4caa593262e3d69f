import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScriptHeader } from '../../src/script/header.js';
import { generatedPath, tempProject } from './support-scaffold.js';

const BASIC = `export default { url: 'sqlite:///app.db' };\n`;

function headerOf(path: string, text: string) {
  return parseScriptHeader(text, path);
}

describe('migrate revision', () => {
  it('writes the SPEC §3 file: doc comment, literal header, upgrade/downgrade', () => {
    const p = tempProject(BASIC);
    const first = p.run('revision', '-m', 'create users table', '--rev-id', 'a1');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toBe(`Generating ${join(p.dir, 'migrations/a1_create_users_table.ts')} ...  done\n`);
    const second = p.run('revision', '-m', 'add phone');
    const path = generatedPath(second);
    const text = p.read(path.slice(p.dir.length + 1));
    expect(text).toMatch(/^\/\*\*\n \* add phone\n \*\n \* Revision ID: [0-9a-f]{12}\n \* Revises: a1\n \* Create Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\n \*\/\n/);
    expect(text).toContain("import type { Operations } from 'alembic-ts';");
    expect(text).toContain("export const downRevision: string | string[] | null = 'a1';");
    expect(text).toContain('export async function upgrade(op: Operations): Promise<void> {');
    expect(text).toContain('export async function downgrade(op: Operations): Promise<void> {');
    expect(headerOf(path, text)).toMatchObject({ downRevisions: ['a1'], message: 'add phone', branchLabels: [], dependsOn: [] });
  });

  it('several heads without --head: refuses and says to merge or pass --head', () => {
    const p = tempProject(BASIC);
    p.run('revision', '-m', 'one', '--rev-id', 'a1');
    p.run('revision', '-m', 'two', '--head', 'base', '--rev-id', 'b1', '--branch-label', 'other');
    const refused = p.run('revision', '-m', 'three');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'FAILED: Multiple heads are present (a1, b1); please specify the head revision on which the new revision should be based (--head), or perform a merge.\n',
    );
    const onB = p.run('revision', '-m', 'three', '--head', 'other@head', '--rev-id', 'b2');
    expect(onB.status).toBe(0);
    expect(headerOf('b2', p.read('migrations/b2_three.ts')).downRevisions).toEqual(['b1']);
  });

  it('--head must be a head unless --splice', () => {
    const p = tempProject(BASIC);
    p.run('revision', '-m', 'one', '--rev-id', 'a1');
    p.run('revision', '-m', 'two', '--rev-id', 'a2');
    const refused = p.run('revision', '-m', 'side', '--head', 'a1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('FAILED: Revision a1 is not a head revision; please specify --splice to create a new branch from this revision.\n');
    expect(p.run('revision', '-m', 'side', '--head', 'a1', '--splice', '--rev-id', 's1').status).toBe(0);
    expect(headerOf('s1', p.read('migrations/s1_side.ts')).downRevisions).toEqual(['a1']);
  });

  it('--branch-label writes the label and refuses one already used', () => {
    const p = tempProject(BASIC);
    expect(p.run('revision', '-m', 'feature', '--rev-id', 'f1', '--branch-label', 'feat').status).toBe(0);
    expect(p.read('migrations/f1_feature.ts')).toContain("export const branchLabels: string[] | null = ['feat'];");
    const again = p.run('revision', '-m', 'x', '--head', 'base', '--branch-label', 'feat');
    expect(again.status).toBe(1);
    expect(again.stderr).toBe("FAILED: Branch name 'feat' is already used by revision f1: pick another label.\n");
  });

  it('--depends-on (repeatable) writes the resolved full ids', () => {
    const p = tempProject(BASIC);
    p.run('revision', '-m', 'one', '--rev-id', 'aaaa1111');
    p.run('revision', '-m', 'lib', '--head', 'base', '--rev-id', 'bbbb2222', '--branch-label', 'lib');
    p.run('revision', '-m', 'lib2', '--head', 'base', '--rev-id', 'cccc3333', '--branch-label', 'lib2');
    const made = p.run('revision', '-m', 'uses', '--head', 'aaaa1111', '--rev-id', 'd4', '--depends-on', 'bbbb', '--depends-on', 'lib2');
    expect(made.status).toBe(0);
    expect(headerOf('d4', p.read('migrations/d4_uses.ts')).dependsOn).toEqual(['bbbb2222', 'cccc3333']);
    const unknown = p.run('revision', '-m', 'x', '--head', 'd4', '--depends-on', 'zzzz9999');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^FAILED: .*zzzz9999/);
  });

  it('--version-path must be one of versionLocations; with several, the head decides', () => {
    const p = tempProject(`export default { versionLocations: ['migrations', 'more'] };\n`);
    const none = p.run('revision', '-m', 'x');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^FAILED: Multiple version locations present \(.*\): please specify --version-path\.\n$/);
    expect(p.run('revision', '-m', 'first', '--version-path', 'more', '--rev-id', 'm1').status).toBe(0);
    expect(existsSync(join(p.dir, 'more/m1_first.ts'))).toBe(true);
    expect(p.run('revision', '-m', 'second', '--rev-id', 'm2').status).toBe(0);
    expect(existsSync(join(p.dir, 'more/m2_second.ts'))).toBe(true);
    const outside = p.run('revision', '-m', 'x', '--version-path', 'elsewhere');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain(`FAILED: Path ${join(p.dir, 'elsewhere')} is not one of the version locations`);
  });

  it('--rev-id is validated and must be new', () => {
    const p = tempProject(BASIC);
    const bad = p.run('revision', '-m', 'x', '--rev-id', 'has-dash');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("FAILED: Invalid --rev-id 'has-dash': ids are 1 to 32 characters of A-Z, a-z, 0-9 and _.\n");
    expect(p.run('revision', '-m', 'x', '--rev-id', 'x'.repeat(33)).status).toBe(1);
    p.run('revision', '-m', 'one', '--rev-id', 'a1');
    const dup = p.run('revision', '-m', 'again', '--rev-id', 'a1');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/^FAILED: Revision a1 is already present/);
  });

  it('--autogenerate and --sql are refused with our own message', () => {
    const p = tempProject(BASIC);
    const auto = p.run('revision', '-m', 'x', '--autogenerate');
    expect(auto.status).toBe(1);
    expect(auto.stderr).toMatch(/^FAILED: --autogenerate is not supported: .*\n$/);
    const sql = p.run('revision', '-m', 'x', '--sql');
    expect(sql.status).toBe(1);
    expect(sql.stderr).toMatch(/^FAILED: revision does not take --sql/);
  });

  it('fileTemplate tokens, truncateSlugLength and the timezone of Create Date', () => {
    const p = tempProject(
      `export default { fileTemplate: '{year}{month}{day}_{rev}_{slug}', truncateSlugLength: 12, timezone: 'Asia/Kolkata' };\n`,
    );
    const made = p.run('revision', '-m', 'Add the phone number column', '--rev-id', 'a1');
    expect(made.status).toBe(0);
    const name = generatedPath(made).split('/').pop()!;
    expect(name).toMatch(/^\d{8}_a1_add_the_\.ts$/);
    expect(p.read(`migrations/${name}`)).toMatch(/Create Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+05:30\n/);
    const bad = tempProject(`export default { fileTemplate: '{rev}_{nope}' };\n`).run('revision', '-m', 'x');
    expect(bad.stderr).toMatch(/^FAILED: Unknown token \{nope\} in fileTemplate/);
  });

  it('a custom template in the scripts folder is used', () => {
    const p = tempProject(BASIC);
    p.run('revision', '-m', 'one', '--rev-id', 'a1');
    p.write(
      'migrations/script.ts.ejs',
      `// custom: <%= message %>\nexport const revision = <%- literal(revision) %>;\nexport const downRevision = <%- literal(downRevision) %>;\n`,
    );
    expect(p.run('revision', '-m', 'two', '--rev-id', 'a2').status).toBe(0);
    expect(p.read('migrations/a2_two.ts')).toBe("// custom: two\nexport const revision = 'a2';\nexport const downRevision = 'a1';\n");
  });

  it('post-write hooks run on the file; a failing one is named and the file stays', () => {
    const ok = tempProject(`export default { postWriteHooks: ['echo "// hooked" >> {file}'] };\n`);
    const made = ok.run('revision', '-m', 'x', '--rev-id', 'a1');
    expect(made.status).toBe(0);
    expect(made.stderr).toContain(`Running post write hook 'echo "// hooked" >> {file}' ...`);
    expect(ok.read('migrations/a1_x.ts').endsWith('// hooked\n')).toBe(true);

    const failing = tempProject(`export default { postWriteHooks: ['sh -c "echo formatter broke >&2; exit 3"'] };\n`);
    const result = failing.run('revision', '-m', 'y', '--rev-id', 'b1');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /FAILED: Post-write hook 'sh -c "echo formatter broke >&2; exit 3"' failed \(exit status 3\): formatter broke\. .*b1_y\.ts was written/,
    );
    expect(existsSync(join(failing.dir, 'migrations/b1_y.ts'))).toBe(true);
  });
});
