/**
 * Replays what Alembic 1.8 really did (test/fixtures/alembic/graphs.json, recorded by
 * record.py) against RevisionMap: heads, labels, identifier resolution, history, and
 * for every upgrade/downgrade/stamp the scripts run in order and the version rows
 * after each step.
 */
import { describe, expect, it } from 'vitest';
import { MigrateError } from '../../src/errors.js';
import { RevisionMap, type Plan, type RevisionNode, type VersionChange } from '../../src/graph/index.js';
import { loadRecordedGraphs, type RecordedCommand, type RecordedStep } from '../fixtures/alembic/recorded.js';

const fixture = loadRecordedGraphs();

function applyChanges(rows: Set<string>, changes: readonly VersionChange[]): void {
  for (const change of changes) {
    if (change.kind === 'insert') {
      expect(rows.has(change.version), `insert of present row ${change.version}`).toBe(false);
      rows.add(change.version);
    } else if (change.kind === 'delete') {
      expect(rows.has(change.version), `delete of missing row ${change.version}`).toBe(true);
      rows.delete(change.version);
    } else {
      expect(rows.has(change.from), `update of missing row ${change.from}`).toBe(true);
      rows.delete(change.from);
      rows.add(change.to);
    }
  }
}

function plan(map: RevisionMap<RevisionNode>, run: RecordedCommand): Plan<RevisionNode> {
  const current = run.start ?? [];
  if (run.command === 'upgrade') return map.planUpgrade(current, run.target!);
  if (run.command === 'downgrade') return map.planDowngrade(current, run.target!);
  return map.planStamp(current, run.targets!, { purge: run.purge ?? false });
}

/** What our plan does, in the recorded shape: each step and the rows after it. */
function replay(map: RevisionMap<RevisionNode>, run: RecordedCommand): { steps: RecordedStep[]; rows: string[] } {
  const result = plan(map, run);
  const rows = new Set(run.start ?? []);
  // Alembic empties the table for --purge outside its steps; we plan it as a first step.
  const purgeSteps = run.purge && (run.start ?? []).length > 0 ? 1 : 0;
  for (const step of result.steps.slice(0, purgeSteps)) applyChanges(rows, step.versionChanges);
  const steps = result.steps.slice(purgeSteps).map((step): RecordedStep => {
    applyChanges(rows, step.versionChanges);
    const after = [...rows].sort();
    return step.kind === 'stamp' ? { kind: 'stamp', rows: after } : { kind: step.kind, revision: step.revision.id, rows: after };
  });
  expect(result.finalHeads).toEqual([...rows].sort());
  return { steps, rows: [...rows].sort() };
}

function describeRun(run: RecordedCommand): string {
  const what = run.command === 'stamp' ? `${(run.targets ?? []).join(' ')}${run.purge ? ' --purge' : ''}` : run.target;
  return `[${(run.start ?? []).join(',')}] ${run.command} ${what}`;
}

describe('replays recorded Alembic 1.8 results', () => {
  for (const recorded of fixture.cases) {
    describe(recorded.name, () => {
      const map = new RevisionMap(recorded.revisions);

      it('lists heads, real heads and bases in Alembic order', () => {
        expect(map.heads.map((node) => node.id)).toEqual(recorded.heads);
        expect(map.realHeads.map((node) => node.id)).toEqual(recorded.headsResolveDependencies);
        expect(map.bases.map((node) => node.id)).toEqual(recorded.bases);
      });

      it('spreads branch labels and finds branch and merge points', () => {
        for (const [id, node] of Object.entries(recorded.nodes)) {
          expect({
            id,
            branchLabels: map.branchLabelsOf(id),
            children: [...map.childrenOf(id)].sort(),
            isBranchPoint: map.isBranchPoint(id),
            isMergePoint: map.isMergePoint(id),
          }).toEqual({ id, ...node });
        }
      });

      it('resolves identifiers', () => {
        for (const [identifier, outcome] of Object.entries(recorded.resolve)) {
          if ('error' in outcome || outcome.result.includes(null)) {
            expect(() => map.resolve(identifier), identifier).toThrow(MigrateError);
          } else {
            expect(map.resolve(identifier).map((node) => node.id), identifier).toEqual(outcome.result);
          }
        }
      });

      it('walks history ranges', () => {
        for (const entry of recorded.history) {
          const [lower, upper] = entry.range === null ? [undefined, undefined] : entry.range.split(':');
          const options = { lower: lower || undefined, upper: upper || undefined };
          if (entry.ours) {
            expect(map.history(options).map((node) => node.id), entry.deviation).toEqual(entry.ours.result);
          } else if ('error' in entry) {
            expect(() => map.history(options), entry.range ?? '').toThrow(MigrateError);
          } else {
            expect(map.history(options).map((node) => node.id), entry.range ?? '').toEqual(entry.result);
          }
        }
      });

      it('plans upgrades, downgrades and stamps step by step', () => {
        const failures: string[] = [];
        for (const run of recorded.commands) {
          const label = describeRun(run);
          let actual: unknown;
          try {
            actual = replay(map, run);
          } catch (error) {
            if (!(error instanceof MigrateError)) throw error;
            actual = { error: error.message };
          }
          const expected = run.ours ?? run.expect;
          if ('error' in expected) {
            if (!(actual as { error?: string }).error) failures.push(`${label}: expected error "${expected.error}", got ${JSON.stringify(actual)}`);
          } else if ((actual as { error?: string }).error) {
            failures.push(`${label}: unexpected error "${(actual as { error: string }).error}", expected: ${JSON.stringify(expected)}`);
          } else if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            failures.push(`${label}:\n  ours     ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`);
          }
        }
        expect(failures).toEqual([]);
      });
    });
  }
});

describe('refuses the graphs Alembic refuses', () => {
  for (const recorded of fixture.loadErrors) {
    it(recorded.name, () => {
      expect(() => new RevisionMap(recorded.revisions)).toThrow(MigrateError);
    });
  }
});
