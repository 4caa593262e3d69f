import { ResolutionError } from '../errors.js';
import type { GraphStructure } from './structure.js';
import type { RevisionNode } from './types.js';

type Graph = GraphStructure<RevisionNode>;

/** Everything reachable from `starts` through `edges`, starts included. Iterative: chains can be long. */
export function reachable(edges: readonly number[][], starts: Iterable<number>): Set<number> {
  const seen = new Set<number>();
  const stack = [...starts];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (seen.has(index)) continue;
    seen.add(index);
    const others = edges[index]!;
    for (let at = 0; at < others.length; at++) {
      const other = others[at]!;
      if (!seen.has(other)) stack.push(other);
    }
  }
  return seen;
}

export function ancestorsOf(graph: Graph, starts: Iterable<number>, includeDependencies = true): Set<number> {
  return reachable(includeDependencies ? graph.normalizedDown : graph.down, starts);
}

export function descendantsOf(graph: Graph, starts: Iterable<number>, includeDependencies = true): Set<number> {
  return reachable(includeDependencies ? graph.allNext : graph.next, starts);
}

/**
 * Whether `ancestor` is reachable going down from `descendant` (itself included).
 * Revisions shallower than the ancestor are never explored, so nearby questions on a
 * long history stay cheap.
 */
export function isAncestor(graph: Graph, ancestor: number, descendant: number, includeDependencies = true): boolean {
  if (ancestor === descendant) return true;
  const floor = graph.depth[ancestor]!;
  if (graph.depth[descendant]! <= floor) return false;
  const edges = includeDependencies ? graph.normalizedDown : graph.down;
  const seen = new Set<number>([descendant]);
  const stack = [descendant];
  while (stack.length > 0) {
    const parents = edges[stack.pop()!]!;
    for (let at = 0; at < parents.length; at++) {
      const parent = parents[at]!;
      if (parent === ancestor) return true;
      if (seen.has(parent) || graph.depth[parent]! <= floor) continue;
      seen.add(parent);
      stack.push(parent);
    }
  }
  return false;
}

/**
 * Like ancestorsOf/descendantsOf, but refuses targets that lie on each other's path
 * ("upgrade a b" where a is below b): Alembic's `check=True` walk.
 */
export function reachableChecked(graph: Graph, edges: readonly number[][], targets: readonly number[]): Set<number> {
  const seen = new Set<number>();
  const targetSet = new Set(targets);
  for (const target of targets) {
    // Other targets met on the way down, in the order met (no Set of every revision visited).
    const overlapping = new Set<number>();
    const stack = [target];
    while (stack.length > 0) {
      const index = stack.pop()!;
      if (index !== target && targetSet.has(index)) overlapping.add(index);
      if (seen.has(index)) continue;
      seen.add(index);
      const others = edges[index]!;
      for (let at = 0; at < others.length; at++) stack.push(others[at]!);
    }
    const overlaps = [...overlapping];
    if (overlaps.length > 0) {
      throw new ResolutionError(
        `Requested revision ${graph.nodes[target]!.id} overlaps with other requested revisions ${overlaps
          .map((index) => graph.nodes[index]!.id)
          .join(', ')}; name only the newest of revisions on one line.`,
      );
    }
  }
  return seen;
}
