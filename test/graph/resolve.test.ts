import { describe, expect, it } from 'vitest';
import { ResolutionError } from '../../src/errors.js';
import { parseRange } from '../../src/graph/index.js';
import { ids, map, rev } from './helpers.js';

// a1 <- a2 <- a3 (feat: f4 <- f5) ; a3 <- m4 ; twin base b1 (label other) <- b2
const graph = map(
  rev('aaa1'),
  rev('aaa2', 'aaa1'),
  rev('aaa3', 'aaa2'),
  rev('f4e0', 'aaa3', { labels: ['feat'] }),
  rev('f5e0', 'f4e0'),
  rev('m4c0', 'aaa3', { labels: ['main'] }),
  rev('bb01', [], { labels: ['other'] }),
  rev('bb02', 'bb01', { dependsOn: ['aaa2'] }),
);

function resolveError(identifier: string, current?: string[]): string {
  try {
    graph.resolve(identifier, current ? { current } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(ResolutionError);
    return (error as Error).message;
  }
  throw new Error(`expected '${identifier}' not to resolve`);
}

describe('identifier forms', () => {
  const cases: [string, string[], string[]?][] = [
    ['aaa2', ['aaa2']],
    ['f4', ['f4e0']], // unique prefix, any length, of an id longer than 3 characters
    ['aaa', []], // placeholder replaced below: ambiguous
    ['heads', ['f5e0', 'm4c0', 'bb02']],
    ['base', []],
    ['feat', ['f4e0']], // a label names the revision that declared it
    ['feat@head', ['f5e0']],
    ['main@head', ['m4c0']],
    ['other@head', ['bb02']],
    ['feat@base', []],
    ['feat@f5e0', ['f5e0']],
    ['feat@aaa2', ['aaa2']], // an ancestor shares the branch
    ['aaa1+2', ['aaa3']],
    ['f5e0-2', ['aaa3']],
    ['base+1', []], // several bases: see the ambiguous walk test
    ['feat@-1', ['f4e0']],
    ['main@-2', ['aaa2']],
    ['+1', ['aaa2'], ['aaa1']],
    ['-1', ['aaa1'], ['aaa2']],
    ['feat@+1', ['f5e0'], ['f4e0', 'bb01']],
    ['feat@-1', ['aaa3'], ['f4e0', 'bb01']],
    ['other@+1', ['bb02'], ['f4e0', 'bb01']],
  ];
  for (const [identifier, expected, current] of cases) {
    if (identifier === 'aaa' || identifier === 'base+1') continue;
    it(`${identifier}${current ? ` from ${current.join(',')}` : ''} → ${expected.join(',') || '(none)'}`, () => {
      expect(ids(graph.resolve(identifier, current ? { current } : {}))).toEqual(expected);
    });
  }

  it('head-N walks down from the single head', () => {
    const linear = map(rev('a001'), rev('a002', 'a001'), rev('a003', 'a002'));
    expect(ids(linear.resolve('head'))).toEqual(['a003']);
    expect(ids(linear.resolve('head-2'))).toEqual(['a001']);
    expect(ids(linear.resolve('base+2'))).toEqual(['a002']);
    expect(ids(linear.resolve('-1'))).toEqual(['a002']); // no current: from the heads, as Alembic
  });

  it('ids of 3 characters or fewer only match exactly', () => {
    const short = map(rev('abc'), rev('abcd', 'abc'), rev('abd', 'abcd'));
    expect(ids(short.resolve('abc'))).toEqual(['abc']);
    expect(ids(short.resolve('ab'))).toEqual(['abcd']); // 'abc' and 'abd' are too short to prefix-match
    expect(() => short.resolve('x')).toThrow(/please ensure at least four characters/);
  });

  it('parseRange splits start:end with either side optional', () => {
    expect(parseRange('a1:b2')).toEqual({ lower: 'a1', upper: 'b2' });
    expect(parseRange(':head')).toEqual({ lower: undefined, upper: 'head' });
    expect(parseRange('base:')).toEqual({ lower: 'base', upper: undefined });
    expect(() => parseRange('head')).toThrow(ResolutionError);
    expect(() => parseRange('a:b:c')).toThrow(/\[start\]:\[end\]/);
  });
});

describe('resolution errors say what to do', () => {
  it('unknown id', () => {
    expect(resolveError('zzzz')).toMatch(/Can't locate revision identified by 'zzzz'.*migrate history/);
  });

  it('ambiguous prefix lists the candidates', () => {
    expect(resolveError('aaa')).toBe(
      "Multiple revisions start with 'aaa': 'aaa1', 'aaa2', 'aaa3'; give more characters of the revision id.",
    );
  });

  it('head with several heads points at heads and label@head', () => {
    const message = resolveError('head');
    expect(message).toMatch(/Multiple head revisions are present for given argument 'head'/);
    expect(message).toMatch(/'<branchname>@head'/);
    expect(message).toMatch(/'heads' for all heads/);
  });

  it('walk ambiguous at a branch point or merge', () => {
    expect(resolveError('aaa3+1')).toMatch(/Ambiguous walk: revision aaa3 has several children \(f4e0, m4c0\)/);
    expect(resolveError('base+1')).toMatch(/Ambiguous walk/);
    const merged = map(rev('a001'), rev('b001', 'a001'), rev('c001', 'a001'), rev('d001', ['b001', 'c001']));
    expect(() => merged.resolve('d001-1')).toThrow(/Ambiguous walk: revision d001 has several parents \(b001, c001\)/);
  });

  it('relative step beyond the graph', () => {
    expect(resolveError('f5e0+1')).toMatch(/steps past the end/);
    expect(resolveError('+1', ['f5e0'])).toMatch(/Relative revision \+1 didn't produce 1 migrations/);
    expect(resolveError('-5', ['aaa2'])).toMatch(/Relative revision -5 didn't produce 5 migrations/);
  });

  it('unknown branch, and a revision outside the branch', () => {
    expect(resolveError('nope@head')).toMatch(/Can't locate revision identified by 'nope'/);
    expect(resolveError('nope@+1', ['aaa1'])).toMatch(/'nope'/);
    expect(resolveError('feat@m4c0')).toMatch(/Revision m4c0 is not a member of branch 'feat'/);
  });
});

describe('graph inspection', () => {
  it('heads, real heads and bases', () => {
    expect(ids(graph.heads)).toEqual(['f5e0', 'm4c0', 'bb02']);
    expect(ids(graph.bases)).toEqual(['aaa1', 'bb01']);
    const dependent = map(rev('a001'), rev('b001', [], { dependsOn: ['a001'] }));
    expect(ids(dependent.heads)).toEqual(['a001', 'b001']);
    expect(ids(dependent.realHeads)).toEqual(['b001']); // heads --resolve-dependencies
  });

  it('branch points, merge points, children and dependencies (full id, partial id, label)', () => {
    expect(graph.isBranchPoint('aaa3')).toBe(true);
    expect(graph.childrenOf('aaa3')).toEqual(['f4e0', 'm4c0']);
    const merged = map(rev('a001'), rev('b001', 'a001'), rev('c001', 'a001'), rev('d001', ['b001', 'c001']));
    expect(merged.isMergePoint('d001')).toBe(true);
    expect(merged.isMergePoint('b001')).toBe(false);
    const partial = map(rev('a001', [], { labels: ['core'] }), rev('b001', [], { dependsOn: ['core'] }), rev('c001', [], { dependsOn: ['b00'] }));
    expect(partial.dependenciesOf('b001')).toEqual(['a001']);
    expect(partial.dependenciesOf('c001')).toEqual(['b001']);
  });

  it('branch labels spread to descendants, and down a single line to the branch point', () => {
    expect(graph.branchLabelsOf('f5e0')).toEqual(['feat']);
    expect(graph.branchLabelsOf('aaa3')).toEqual([]); // the branch point itself is shared
    const onChain = map(rev('p001'), rev('p002', 'p001'), rev('p003', 'p002', { labels: ['lab'] }), rev('p004', 'p003'));
    expect(onChain.branchLabelsOf('p001')).toEqual(['lab']); // no branch point below: the whole line
    expect(onChain.branchLabelsOf('p004')).toEqual(['lab']);
  });

  it('a merge carries the labels of every branch it takes in, and so do its descendants', () => {
    // Children listed before their parents: the spread must not depend on file order.
    const merged = map(
      rev('z005', 'z004', { labels: ['late'] }),
      rev('z004', ['x002', 'y002']),
      rev('y002', 'y001'),
      rev('x002', 'x001'),
      rev('y001', 'r000', { labels: ['right'] }),
      rev('x001', 'r000', { labels: ['left'] }),
      rev('r000'),
    );
    expect(merged.branchLabelsOf('x002')).toEqual(['left']);
    expect(merged.branchLabelsOf('y002')).toEqual(['right']);
    expect(merged.branchLabelsOf('z004')).toEqual(['left', 'right']);
    expect(merged.branchLabelsOf('z005')).toEqual(['late', 'left', 'right']);
    expect(merged.branchLabelsOf('r000')).toEqual([]); // a branch point: no label reaches below it
  });
});
