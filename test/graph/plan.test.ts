import { describe, expect, it } from 'vitest';
import { ResolutionError } from '../../src/errors.js';
import type { Plan, RevisionNode } from '../../src/graph/index.js';
import { chain, ids, map, rev } from './helpers.js';

// base <- b1 <- {c1, c2} <- m1 (merge) ; other base x1 depends on b1
const graph = map(
  rev('b001'),
  rev('c001', 'b001'),
  rev('c002', 'b001'),
  rev('m001', ['c001', 'c002']),
  rev('x001', [], { dependsOn: ['b001'] }),
);

function summary(plan: Plan<RevisionNode>): string[] {
  return plan.steps.map((step) => {
    const changes = step.versionChanges
      .map((change) => (change.kind === 'update' ? `update ${change.from}->${change.to}` : `${change.kind} ${change.version}`))
      .join(', ');
    return `${step.kind === 'stamp' ? 'stamp' : `${step.kind} ${step.revision.id}`}: ${changes}`;
  });
}

describe('planUpgrade', () => {
  it('inserts at a base, updates along a line, inserts a new branch, deletes at a merge', () => {
    const plan = graph.planUpgrade([], 'm001');
    expect(summary(plan)).toEqual([
      'upgrade b001: insert b001',
      'upgrade c002: update b001->c002',
      'upgrade c001: insert c001',
      'upgrade m001: delete c001, update c002->m001',
    ]);
    expect(plan.finalHeads).toEqual(['m001']);
    expect(plan.steps[0]).toMatchObject({ fromRevisions: [], toRevisions: ['b001'] });
    expect(plan.steps[3]).toMatchObject({ fromRevisions: ['c001', 'c002'], toRevisions: ['m001'] });
  });

  it('runs dependencies on another base first', () => {
    expect(summary(graph.planUpgrade([], 'x001'))).toEqual(['upgrade b001: insert b001', 'upgrade x001: update b001->x001']);
    expect(graph.planUpgrade(['m001'], 'heads').finalHeads).toEqual(['m001', 'x001']);
  });

  it('to an ancestor of the current revision: no steps, rows unchanged', () => {
    const plan = graph.planUpgrade(['m001'], 'c001');
    expect(plan.steps).toEqual([]);
    expect(plan.finalHeads).toEqual(['m001']);
  });

  it('refuses several heads for head, and an unknown current row', () => {
    expect(() => graph.planUpgrade([], 'head')).toThrow(/Multiple head revisions are present for given argument 'head'/);
    expect(() => graph.planUpgrade(['dead'], 'heads')).toThrow(ResolutionError);
  });
});

describe('planDowngrade', () => {
  it('unmerges: inserts the restored parent and updates the merge row', () => {
    expect(summary(graph.planDowngrade(['m001'], 'b001'))).toEqual([
      'downgrade m001: insert c001, update m001->c002',
      'downgrade c001: delete c001',
      'downgrade c002: update c002->b001',
    ]);
  });

  it('deletes the row when the branch goes back to base', () => {
    const plan = graph.planDowngrade(['m001', 'x001'], 'base');
    expect(plan.steps.map((step) => (step.kind === 'stamp' ? 'stamp' : step.revision.id))).toEqual([
      'm001',
      'c001',
      'x001', // Alembic's order: down one line until another line still needs the next revision
      'c002',
      'b001',
    ]);
    expect(plan.finalHeads).toEqual([]);
  });

  it('a target above the current revisions is not a valid downgrade target', () => {
    expect(() => graph.planDowngrade(['c001'], 'm001')).toThrow(
      /Destination m001 is not a valid downgrade target from current head\(s\) \(c001\)/,
    );
  });

  it('-1 from an empty database', () => {
    expect(() => graph.planDowngrade([], '-1')).toThrow(/Relative revision -1 didn't produce 1 migrations/);
  });
});

describe('planStamp', () => {
  it('moves a line up or down without scripts, and adds a new branch', () => {
    expect(summary(graph.planStamp(['c001'], ['m001']))).toEqual(['stamp: update c001->m001']);
    expect(summary(graph.planStamp(['m001'], ['b001']))).toEqual(['stamp: update m001->b001']);
    expect(graph.planStamp(['c001'], ['c002']).finalHeads).toEqual(['c001', 'c002']);
    expect(graph.planStamp(['m001'], ['m001']).steps).toEqual([]);
  });

  it('base removes the rows; several targets at once', () => {
    expect(summary(graph.planStamp(['m001'], ['base']))).toEqual(['stamp: delete m001']);
    expect(graph.planStamp([], ['heads']).finalHeads).toEqual(['m001', 'x001']);
  });

  it('purge empties the table first, whatever it held', () => {
    const plan = graph.planStamp(['c001', 'c002'], ['b001'], { purge: true });
    expect(summary(plan)).toEqual(['stamp: delete c001, delete c002', 'stamp: insert b001']);
    expect(plan.finalHeads).toEqual(['b001']);
    expect(graph.planStamp(['gone'], ['b001'], { purge: true }).finalHeads).toEqual(['b001']);
    expect(() => graph.planStamp(['gone'], ['b001'])).toThrow(/Can't locate revision identified by 'gone'/);
  });
});

describe('history', () => {
  it('lists newest first, with ranges and current', () => {
    expect(ids(graph.history())).toEqual(['m001', 'c001', 'x001', 'c002', 'b001']);
    expect(ids(graph.history({ lower: 'c001', upper: 'm001' }))).toEqual(['m001', 'c001']);
    expect(ids(graph.history({ lower: 'current', current: ['c002'] }))).toEqual(['m001', 'c002']);
    expect(ids(graph.history({ upper: 'current', current: ['c002'] }))).toEqual(['c002', 'b001']);
    expect(() => graph.history({ lower: 'c001', upper: 'c002' })).toThrow(/does not refer to ancestor\/descendant revisions/);
  });
});

describe('long histories', () => {
  it('a 10,000-revision chain loads, lists and plans without deep recursion', () => {
    const nodes = chain(10_000);
    const long = map(...nodes);
    expect(ids(long.heads)).toEqual([nodes[9_999]!.id]);
    expect(long.history()).toHaveLength(10_000);
    const up = long.planUpgrade([], 'heads');
    expect(up.steps).toHaveLength(10_000);
    expect(up.finalHeads).toEqual([nodes[9_999]!.id]);
    const down = long.planDowngrade(up.finalHeads, 'base');
    expect(down.steps).toHaveLength(10_000);
    expect(down.finalHeads).toEqual([]);
    expect(ids(long.resolve('head-9999'))).toEqual([nodes[0]!.id]);
  });
});
