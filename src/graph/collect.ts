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
 * the way Alembic does: follow one line down from the first head as far as no other
 * pending line still needs the next revision, then switch to the line that does.
 * The result matches Alembic's order, which the recorded fixture checks.
 */
export function topologicalSort(resolver: Resolver, revisions: Set<number>, heads: readonly number[]): number[] {
  const graph = resolver.graph;
  const todo = new Set(revisions);
  const output: number[] = [];
  let start = heads;
  while (todo.size > 0) {
    sortFrom(resolver, todo, start, output);
    // Alembic stops here (an assertion) when the heads do not reach every revision, as in
    // `history -r rev:` where rev's descendants are only dependents; we carry on from the
    // topmost revisions left.
    const below = new Set([...todo].flatMap((index) => graph.normalizedDown[index]!));
    start = [...todo].filter((index) => !below.has(index));
  }
  return output;
}

function sortFrom(resolver: Resolver, todo: Set<number>, heads: readonly number[], output: number[]): void {
  const graph = resolver.graph;
  const current = [...new Set(heads.filter((index) => todo.has(index)))].sort((a, b) => a - b);
  const ancestors = current.map((index) => ancestorsOf(graph, [index]));
  let position = 0;
  while (current.length > 0) {
    const candidate = current[position]!;
    const blockedBy = ancestors.findIndex((set, index) => index !== position && set.has(candidate));
    if (blockedBy >= 0) {
      position = blockedBy;
      continue;
    }
    if (todo.delete(candidate)) output.push(candidate);
    const parents = graph.normalizedDown[candidate]!.filter((index) => todo.has(index) && !current.includes(index));
    if (parents.length === 0) {
      current.splice(position, 1);
      ancestors.splice(position, 1);
      position = Math.max(position - 1, 0);
    } else if (graph.normalizedDeps[candidate]!.length === 0 && graph.down[candidate]!.length === 1) {
      current[position] = parents[0]!;
      ancestors[position]!.delete(candidate);
    } else {
      current[position] = parents[0]!;
      ancestors[position] = ancestorsOf(graph, [parents[0]!]);
      for (const parent of parents.slice(1)) {
        current.push(parent);
        ancestors.push(ancestorsOf(graph, [parent]));
      }
    }
  }
}
