import { describe, expect, it } from 'vitest';
import { parseScriptHeader } from '../../src/script/header.js';
import { tempProject } from './support-scaffold.js';

describe('migrate merge', () => {
  function forked() {
    const p = tempProject(`export default {};\n`);
    p.run('revision', '-m', 'root', '--rev-id', 'a1');
    p.run('revision', '-m', 'left', '--rev-id', 'b1');
    p.run('revision', '-m', 'right', '--head', 'a1', '--splice', '--rev-id', 'c1');
    return p;
  }

  it('merges all heads into a revision whose downRevision is an array', () => {
    const p = forked();
    const result = p.run('merge', 'heads', '-m', 'merge left and right', '--rev-id', 'm1', '--branch-label', 'joined');
    expect(result.status).toBe(0);
    const text = p.read('migrations/m1_merge_left_and_right.ts');
    expect(text).toContain(' * Revises: b1, c1\n');
    expect(text).toContain("export const downRevision: string | string[] | null = ['b1', 'c1'];");
    expect(parseScriptHeader(text, 'm1')).toMatchObject({ downRevisions: ['b1', 'c1'], branchLabels: ['joined'] });
    // One head again: a plain revision now works.
    expect(p.run('revision', '-m', 'after', '--rev-id', 'n1').status).toBe(0);
  });

  it('merges the named heads, with "empty message" by default as Alembic', () => {
    const p = forked();
    expect(p.run('merge', 'c1', 'b1', '--rev-id', 'm2').status).toBe(0);
    const text = p.read('migrations/m2_empty_message.ts');
    expect(parseScriptHeader(text, 'm2')).toMatchObject({ downRevisions: ['c1', 'b1'], message: 'empty message' });
  });

  it('refuses a non-head and a single head', () => {
    const p = forked();
    const notHead = p.run('merge', 'a1', 'b1', '-m', 'x');
    expect(notHead.status).toBe(1);
    expect(notHead.stderr).toMatch(/^FAILED: Revision a1 is not a head revision/);
    const single = tempProject(`export default {};\n`);
    single.run('revision', '-m', 'only', '--rev-id', 'a1');
    const result = single.run('merge', 'heads', '-m', 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('FAILED: Nothing to merge: heads is the single revision a1; merge needs two or more heads.\n');
  });
});
