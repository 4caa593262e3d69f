import { describe, expect, it } from 'vitest';
import { GraphError } from '../../src/errors.js';
import { RevisionMap } from '../../src/graph/index.js';
import { map, rev } from './helpers.js';

function loadError(...nodes: ReturnType<typeof rev>[]): GraphError {
  try {
    new RevisionMap(nodes);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }
  throw new Error('expected a GraphError');
}

describe('RevisionMap refuses malformed graphs, naming the files', () => {
  it('duplicate id', () => {
    const error = loadError(rev('a001'), { ...rev('a001'), source: 'versions/other.ts' });
    expect(error.message).toMatch(/a001 is present more than once: versions\/a001\.ts and versions\/other\.ts/);
  });

  it('missing parent', () => {
    expect(loadError(rev('a001'), rev('a002', 'a999')).message).toMatch(
      /a999 referenced from a002 \(versions\/a002\.ts\) is not present/,
    );
  });

  it('missing dependsOn target', () => {
    expect(loadError(rev('a001'), rev('a002', 'a001', { dependsOn: ['zzzz'] })).message).toMatch(
      /a002 \(versions\/a002\.ts\) depends on 'zzzz', which is neither a revision nor a branch label/,
    );
  });

  it('ambiguous partial dependsOn', () => {
    expect(loadError(rev('a001'), rev('a002', 'a001'), rev('b001', [], { dependsOn: ['a00'] })).message).toMatch(
      /depends on 'a00', which matches several revisions \(a001, a002\)/,
    );
  });

  it('cycle, naming only the revisions on it', () => {
    const error = loadError(rev('a001'), rev('a002', ['a001', 'a004']), rev('a003', 'a002'), rev('a004', 'a003'), rev('a005', 'a004'));
    expect(error.message).toMatch(/^Cycle is detected in revisions \(a002 \(versions\/a002\.ts\), a003 \(.*\), a004 \(.*\)\)/);
    expect(error.message).not.toMatch(/a001|a005/);
  });

  it('cycle with no base at all', () => {
    expect(loadError(rev('a001', 'a002'), rev('a002', 'a001')).message).toMatch(/^Cycle is detected in revisions \(a001 .*a002 /);
  });

  it('dependency cycle', () => {
    expect(loadError(rev('a001', [], { dependsOn: ['a003'] }), rev('a002', 'a001'), rev('a003', 'a002')).message).toMatch(
      /^Dependency cycle is detected in revisions \(a001 .*a002 .*a003 /,
    );
  });

  it('self-reference through downRevision and through dependsOn', () => {
    expect(loadError(rev('a001', 'a001')).message).toMatch(/Self-loop: revision a001 \(versions\/a001\.ts\)/);
    expect(loadError(rev('a001'), rev('a002', 'a001', { dependsOn: ['a002'] })).message).toMatch(/Dependency self-loop: revision a002/);
  });

  it('duplicate branch label, and a label equal to a revision id', () => {
    expect(loadError(rev('a001', [], { labels: ['x'] }), rev('a002', 'a001', { labels: ['x'] })).message).toMatch(
      /Branch name 'x' in revision a002 \(versions\/a002\.ts\) is already used by revision a001 \(versions\/a001\.ts\)/,
    );
    expect(loadError(rev('a001'), rev('a002', 'a001', { labels: ['a001'] })).message).toMatch(
      /Branch name 'a001' in revision a002 .* is the id of revision a001/,
    );
  });

  it('invalid ids: empty, too long for the version column, or with other characters', () => {
    expect(loadError(rev('')).message).toMatch(/Invalid revision id ''/);
    expect(loadError(rev('a'.repeat(33))).message).toMatch(/Invalid revision id 'a{33}' \(versions\/a{33}\.ts\): use 1–32 characters/);
    expect(loadError(rev('h-01')).message).toMatch(/Invalid revision id 'h-01'/);
    expect(() => map(rev('a'.repeat(32)))).not.toThrow();
  });
});
