import { ResolutionError } from '../errors.js';
import { BASE, isRevision, type Resolver, type Slot } from './resolver.js';
import { parseDowngradeTarget, parseUpgradeTarget } from './targets.js';
import { ancestorsOf, descendantsOf, reachableChecked } from './traverse.js';

/** The lower end is not below the upper end: callers turn this into their own message. */
export class RangeNotAncestor extends Error {}

export interface Collected {
  /** The revisions to visit (unordered). */
  readonly revisions: Set<number>;
  /** Where the ordering starts (the newest revisions). */
  readonly heads: number[];
}

/**
 * Revisions needed to go from `lower` up to `upper`: ancestors of the targets that are
 * not already ancestors of the lower revisions. `implicitBase` (upgrade) allows lower
 * revisions on other lines; without it (history) only descendants of `lower` count.
 */
export function collectUpgrade(
  resolver: Resolver,
  upper: string | readonly string[],
  lower: string | readonly string[] | undefined,
  options: { inclusive: boolean; implicitBase: boolean; assertRelativeLength: boolean },
): Collected {
  const graph = resolver.graph;
  const lowerList = lower === undefined ? [] : typeof lower === 'string' ? [lower] : lower;
  let targets = (
    typeof upper === 'string'
      ? parseUpgradeTarget(resolver, lowerList, upper, options.assertRelativeLength)
      : resolver.revisionsOf(upper)
  ).map(requireRevision);

  if (typeof lower === 'string' && lower.includes('@')) {
    // `label@…` as the lower end keeps only targets on that branch.
    let branch = lower.slice(0, lower.indexOf('@'));
    const branchRevision = resolver.revision(branch);
    if (isRevision(branchRevision) && resolver.id(branchRevision) === branch) {
      const labels = [...graph.labels[branchRevision]!];
      if (labels.length !== 1) {
        throw new ResolutionError(`Revision ${branch} carries ${labels.length} branch labels; use one label before '@'.`);
      }
      branch = labels[0]!;
    }
    targets = targets.filter((index) => graph.labels[index]!.has(branch));
  }

  const required = reachableChecked(graph, graph.normalizedDown, targets);
  for (const index of targets) required.add(index);

  let currentSlots: Slot[] = lowerList.length === 0 ? [] : resolver.revisionsOf(lowerList);
  if (!options.implicitBase && currentSlots.some((slot) => slot !== null && (slot === BASE || !required.has(slot)))) {
    throw new RangeNotAncestor();
  }
  let lowerForInclusive = lowerList;
  if (currentSlots.length > 0 && currentSlots[0] === null) {
    // A relative lower end that walked off the graph: resolve it as a downgrade target.
    const upperList = typeof upper === 'string' ? [upper] : upper;
    const { target } = parseDowngradeTarget(resolver, upperList, lowerList[0], options.assertRelativeLength);
    if (target === null || target === BASE) {
      currentSlots = [];
      lowerForInclusive = [];
    } else {
      currentSlots = [target];
      lowerForInclusive = [resolver.id(target)];
    }
  }
  const current = currentSlots.filter(isRevision);
  const currentSet = reachableChecked(graph, graph.normalizedDown, current);
  for (const index of current) currentSet.add(index);

  const needs = new Set<number>();
  for (const index of required) if (!currentSet.has(index)) needs.add(index);
  if (options.inclusive) {
    for (const slot of lowerForInclusive.length > 0 ? resolver.revisionsOf(lowerForInclusive) : []) {
      needs.add(requireRevision(slot));
    }
  }
  if (current.length > 0 && !options.implicitBase) {
    const above = reachableChecked(graph, graph.next, current);
    for (const index of needs) if (!above.has(index)) needs.delete(index);
  }
  return { revisions: needs, heads: targets };
}

/**
 * Revisions to undo to reach `target` from the current revisions: descendants of the
 * target (or of every base) that are applied; `label@…` narrows to that branch.
 */
export function collectDowngrade(
  resolver: Resolver,
  current: readonly string[],
  target: string,
  options: { assertRelativeLength: boolean },
): Collected {
  const graph = resolver.graph;
  const parsed = parseDowngradeTarget(resolver, current, target, options.assertRelativeLength);
  const branchLabel = parsed.branchLabel;
  const destination = parsed.target === BASE ? null : parsed.target;

  let roots: number[];
  if (destination === null) {
    roots = graph.bases.slice();
  } else {
    roots = graph.next[destination]!.slice();
  }
  if (branchLabel && roots.length > 1) {
    const onBranch = ancestorsOf(graph, [resolver.branch(branchLabel)], false);
    roots = roots.filter((index) => onBranch.has(index));
    if (roots.length === 0) {
      throw new ResolutionError(
        `Not a valid downgrade target from current heads: nothing on branch '${branchLabel}' lies above ${target}.`,
      );
    }
  }
  const heads = resolver.revisionsOf(current).map(requireRevision);
  const applied = ancestorsOf(graph, heads);
  const revisions = new Set<number>();
  for (const index of descendantsOf(graph, roots)) if (applied.has(index)) revisions.add(index);
  if (destination !== null && revisions.size === 0 && !heads.includes(destination)) throw new RangeNotAncestor();
  return { revisions, heads };
}

function requireRevision(slot: Slot): number {
  if (!isRevision(slot)) {
    throw new ResolutionError(
      `The target resolves to ${slot === null ? 'nothing (the walk left the graph)' : 'base'} here; name a revision, or use 'base' with downgrade.`,
    );
  }
  return slot;
}

/**
 * Orders `revisions` newest first so each comes before its parents and dependencies,
 * the way Alembic does: follow one line down from the first head while no other
 * pending line still needs the next revision; when one does, switch to the first such
 * line. Alembic keeps a full ancestor set per line; here a revision is "still needed"
 * exactly when one of its children in the set is not yet emitted, and only then do we
 * look up which line needs it — linear on long chains. The recorded fixture checks
 * that the order is Alembic's.
 */
export function topologicalSort(resolver: Resolver, revisions: Set<number>, heads: readonly number[]): number[] {
  const graph = resolver.graph;
  const todo = new Set(revisions);
  const pendingChildren = new Map<number, number>();
  for (const index of todo) {
    for (const parent of graph.normalizedDown[index]!) {
      if (todo.has(parent)) pendingChildren.set(parent, (pendingChildren.get(parent) ?? 0) + 1);
    }
  }
  const output: number[] = [];
  let start = heads;
  while (todo.size > 0) {
    sortFrom(graph, todo, pendingChildren, start, output);
    // Alembic stops here (an assertion) when the heads do not reach every revision, as in
    // `history -r rev:` where rev's descendants are only dependents; we carry on from the
    // topmost revisions left.
    start = [...todo].filter((index) => !pendingChildren.get(index));
  }
  return output;
}

function sortFrom(
  graph: Resolver['graph'],
  todo: Set<number>,
  pendingChildren: Map<number, number>,
  heads: readonly number[],
  output: number[],
): void {
  const lines = [...new Set(heads.filter((index) => todo.has(index)))].sort((a, b) => a - b);
  const isLine = new Set(lines);
  let position = 0;
  while (lines.length > 0) {
    const candidate = lines[position]!;
    if (pendingChildren.get(candidate)) {
      const needing = firstLineNeeding(graph, todo, lines, isLine, candidate, position);
      if (needing >= 0) {
        position = needing;
        continue;
      }
    }
    if (todo.delete(candidate)) {
      output.push(candidate);
      for (const parent of graph.normalizedDown[candidate]!) {
        if (todo.has(parent)) pendingChildren.set(parent, pendingChildren.get(parent)! - 1);
      }
    }
    const parents = graph.normalizedDown[candidate]!.filter((index) => todo.has(index) && !isLine.has(index));
    isLine.delete(candidate);
    if (parents.length === 0) {
      lines.splice(position, 1);
      position = Math.max(position - 1, 0);
    } else {
      lines[position] = parents[0]!;
      for (const parent of parents.slice(1)) lines.push(parent);
      for (const parent of parents) isLine.add(parent);
    }
  }
}

/** Position of the first line (other than `position`) whose head has `candidate` as an ancestor, or -1. */
function firstLineNeeding(
  graph: Resolver['graph'],
  todo: Set<number>,
  lines: readonly number[],
  isLine: Set<number>,
  candidate: number,
  position: number,
): number {
  // Only unemitted revisions lie between a line's head and an ancestor it still needs.
  const reachedHeads = new Set<number>();
  const seen = new Set<number>([candidate]);
  const stack = [candidate];
  while (stack.length > 0) {
    const index = stack.pop()!;
    for (const child of graph.allNext[index]!) {
      if (seen.has(child) || !todo.has(child)) continue;
      seen.add(child);
      if (isLine.has(child)) reachedHeads.add(child);
      stack.push(child);
    }
  }
  return lines.findIndex((head, at) => at !== position && reachedHeads.has(head));
}
