import { ResolutionError } from '../errors.js';
import { isRevision, type Resolver } from './resolver.js';
import { ancestorsOf, descendantsOf } from './traverse.js';
import type { StampStep, VersionChange } from './types.js';
import { VersionRows } from './versions.js';

/**
 * Alembic's stamp: for each target, the current rows on its line (dependencies count)
 * move to it in one step — down if they are above it, up if below — a target on no
 * current line becomes a new row, and 'base' removes the rows of the lines named.
 * With purge, every current row is deleted first and the rest plans from nothing.
 */
export function planStampSteps(
  resolver: Resolver,
  current: readonly string[],
  targets: readonly string[],
  purge: boolean,
): { steps: StampStep[]; rows: VersionRows } {
  const steps: StampStep[] = [];
  let heads = current;
  if (purge) {
    const rows = new VersionRows(resolver, current);
    if (current.length > 0) {
      steps.push({
        kind: 'stamp',
        fromRevisions: [...current],
        toRevisions: [],
        versionChanges: rows.apply(current.map((version) => ({ kind: 'delete', version }))),
      });
    }
    heads = [];
  }
  const rows = new VersionRows(resolver, heads);
  const headRevisions = resolver.revisionsOf(heads).filter(isRevision);
  const wanted = targets.length > 0 ? targets : ['base'];
  const onTargetLines: number[] = [];
  for (const target of wanted) {
    for (const head of resolver.filterForLineage(headRevisions, target, true)) {
      if (!onTargetLines.includes(head)) onTargetLines.push(head);
    }
  }
  const lineIds = onTargetLines.map((index) => resolver.id(index));
  let destinations = resolver.revisionsOf(wanted);
  if (destinations.length === 0) destinations = [null];

  for (const destination of destinations) {
    if (!isRevision(destination)) {
      for (const head of lineIds) steps.push(stampStep(rows, [head], [], 'remove-branch'));
      continue;
    }
    if (onTargetLines.includes(destination)) continue;
    const id = resolver.id(destination);
    const below = descendantsOf(resolver.graph, [destination]);
    const above = ancestorsOf(resolver.graph, [destination]);
    if (onTargetLines.some((head) => below.has(head))) {
      steps.push(stampStep(rows, lineIds, [id], 'down'));
    } else if (onTargetLines.some((head) => above.has(head))) {
      steps.push(stampStep(rows, lineIds, [id], 'up'));
    } else {
      steps.push(stampStep(rows, [], [id], 'new-branch'));
    }
  }
  return { steps, rows };
}

/** One stamp step and its row changes (Alembic's StampStep through the HeadMaintainer). */
function stampStep(
  rows: VersionRows,
  from: readonly string[],
  to: readonly string[],
  direction: 'up' | 'down' | 'new-branch' | 'remove-branch',
): StampStep {
  const branchMove = direction === 'new-branch' || direction === 'remove-branch';
  const isUpgrade = direction === 'up' || direction === 'new-branch';
  let changes: VersionChange[];
  if (!isUpgrade && branchMove) {
    changes = [{ kind: 'delete', version: from[0]! }];
  } else if (
    isUpgrade &&
    (branchMove || from.some((id) => !rows.has(id))) &&
    to.some((id) => !rows.has(id))
  ) {
    changes = [{ kind: 'insert', version: to[0]! }];
  } else if (from.length > 1) {
    changes = from.slice(0, -1).map((version): VersionChange => ({ kind: 'delete', version }));
    changes.push({ kind: 'update', from: from[from.length - 1]!, to: to[0]! });
  } else {
    changes = [{ kind: 'update', from: from[0]!, to: to[0]! }];
  }
  for (const change of changes) {
    const missing =
      (change.kind === 'delete' && !rows.has(change.version)) ||
      (change.kind === 'update' && (change.from === undefined || !rows.has(change.from) || rows.has(change.to))) ||
      (change.kind === 'insert' && rows.has(change.version));
    if (missing) {
      throw new ResolutionError(
        `Can't stamp ${to.join(', ') || 'base'}: the targets overlap on one line of the current revisions (${from.join(', ')}); stamp one target per line.`,
      );
    }
  }
  return { kind: 'stamp', fromRevisions: [...from], toRevisions: [...to], versionChanges: rows.apply(changes) };
}
