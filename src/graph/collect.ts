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

  // Nothing applied (a whole history, an upgrade from base): everything required is needed.
  let needs = required;
  if (currentSet.size > 0) {
    needs = new Set<number>();
    // forEach and indexed loops over whole histories: this runs once per command, before
    // V8 optimises it, and a for-of then allocates an iterator result per element.
    required.forEach((index) => {
      if (!currentSet.has(index)) needs.add(index);
    });
  }
  if (options.inclusive) {
    for (const slot of lowerForInclusive.length > 0 ? resolver.revisionsOf(lowerForInclusive) : []) {
      needs.add(requireRevision(slot));
    }
  }
  if (current.length > 0 && !options.implicitBase) {
    const above = reachableChecked(graph, graph.next, current);
    needs.forEach((index) => {
      if (!above.has(index)) needs.delete(index);
    });
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
  const edges = graph.normalizedDown;
  // Flags and counters by revision index rather than Sets and Maps: no hashing and
  // almost no allocation per revision on a 10,000-revision history.
  const state: SortState = {
    edges,
    todo: new Uint8Array(graph.nodes.length),
    pendingChildren: new Uint32Array(graph.nodes.length),
    isLine: new Uint8Array(graph.nodes.length),
    output: [],
    graph,
    visited: undefined,
    stack: [],
    walk: 0,
  };
  const members = Array.from(revisions);
  for (let at = 0; at < members.length; at++) state.todo[members[at]!] = 1;
  for (let at = 0; at < members.length; at++) {
    const parents = edges[members[at]!]!;
    for (let which = 0; which < parents.length; which++) {
      const parent = parents[which]!;
      if (state.todo[parent]) state.pendingChildren[parent]++;
    }
  }
  let start = heads;
  while (state.output.length < revisions.size) {
    sortFrom(state, start);
    if (state.output.length === revisions.size) break;
    // Alembic stops here (an assertion) when the heads do not reach every revision, as in
    // `history -r rev:` where rev's descendants are only dependents; we carry on from the
    // topmost revisions left.
    start = members.filter((index) => state.todo[index] && !state.pendingChildren[index]);
  }
  return state.output;
}

interface SortState {
  readonly edges: readonly number[][];
  /** 1 while a revision is still to be emitted. */
  readonly todo: Uint8Array;
  /** Children still to be emitted, per revision. */
  readonly pendingChildren: Uint32Array;
  /** 1 while a revision is the current end of a line (empty between calls). */
  readonly isLine: Uint8Array;
  readonly output: number[];
  // For firstLineNeeding's walks (none on a single line): a visit mark per revision
  // (the walk's number) and one reused stack.
  readonly graph: Resolver['graph'];
  visited: Uint32Array | undefined;
  readonly stack: number[];
  walk: number;
}

function sortFrom(state: SortState, heads: readonly number[]): void {
  const { edges, todo, pendingChildren, isLine, output } = state;
  const lines = [...new Set(heads.filter((index) => todo[index]))].sort((a, b) => a - b);
  for (const index of lines) isLine[index] = 1;
  let position = 0;
  while (lines.length > 0) {
    const candidate = lines[position]!;
    if (pendingChildren[candidate]) {
      const needing = firstLineNeeding(state, lines, candidate, position);
      if (needing >= 0) {
        position = needing;
        continue;
      }
    }
    const parents = edges[candidate]!;
    if (todo[candidate]) {
      todo[candidate] = 0;
      output.push(candidate);
      for (let at = 0; at < parents.length; at++) {
        const parent = parents[at]!;
        if (todo[parent]) pendingChildren[parent]--;
      }
    }
    isLine[candidate] = 0;
    // The line goes on down its first pending parent; the others start lines of their own.
    const firstNew = lines.length;
    let continued = false;
    for (let at = 0; at < parents.length; at++) {
      const parent = parents[at]!;
      if (!todo[parent] || isLine[parent]) continue;
      if (continued) {
        lines.push(parent);
      } else {
        lines[position] = parent;
        continued = true;
      }
    }
    if (continued) {
      isLine[lines[position]!] = 1;
      for (let at = firstNew; at < lines.length; at++) isLine[lines[at]!] = 1;
    } else {
      lines.splice(position, 1);
      position = Math.max(position - 1, 0);
    }
  }
}

/**
 * Position of the first line (other than `position`) whose head has `candidate` as an
 * ancestor through unemitted revisions only, or -1. Walks down from each line head
 * rather than up from the candidate: there are few lines, and revisions no deeper than
 * the candidate cannot lead to it, so each walk stays between the head and the candidate.
 */
function firstLineNeeding(state: SortState, lines: readonly number[], candidate: number, position: number): number {
  for (let at = 0; at < lines.length; at++) {
    if (at !== position && leadsTo(state, lines[at]!, candidate)) return at;
  }
  return -1;
}

function leadsTo(state: SortState, head: number, candidate: number): boolean {
  const { allDown, depth } = state.graph;
  const todo = state.todo;
  const visited = (state.visited ??= new Uint32Array(todo.length));
  if (!todo[head]) return false;
  const floor = depth[candidate]!;
  if (depth[head]! <= floor) return false;
  const mark = ++state.walk;
  const stack = state.stack;
  stack.length = 0;
  stack.push(head);
  visited[head] = mark;
  while (stack.length > 0) {
    const parents = allDown[stack.pop()!]!;
    for (let at = 0; at < parents.length; at++) {
      const parent = parents[at]!;
      if (parent === candidate) return true;
      if (visited[parent] === mark || !todo[parent] || depth[parent]! <= floor) continue;
      visited[parent] = mark;
      stack.push(parent);
    }
  }
  return false;
}
