import type { GraphStructure } from './structure.js';
import type { RevisionNode } from './types.js';

/**
 * Spreads each declared branch label the way Alembic does: to the declaring revision
 * and all its descendants (through downRevision); and, when those descendants form a
 * single line, from that line's head back down through the declaring revision into
 * its ancestors until a branch point (dependents count) or a merge point.
 */
export function spreadBranchLabels<T extends RevisionNode>(graph: GraphStructure<T>): ReadonlySet<string>[] {
  // Revisions with the same labels share one set: a label on a base reaches every revision.
  const none: ReadonlySet<string> = new Set();
  const labels: ReadonlySet<string>[] = graph.nodes.map(() => none);
  graph.nodes.forEach((node, declaring) => {
    if (node.branchLabels.length === 0) return;
    const declared: ReadonlySet<string> = new Set(node.branchLabels);
    // Revisions that shared a set before share its union with `declared` after.
    const unions = new Map<ReadonlySet<string>, ReadonlySet<string>>();
    const add = (index: number): void => {
      const present = labels[index]!;
      if (present === none) {
        labels[index] = declared;
      } else if (node.branchLabels.some((label) => !present.has(label))) {
        let union = unions.get(present);
        if (union === undefined) {
          union = new Set([...present, ...declared]);
          unions.set(present, union);
        }
        labels[index] = union;
      }
    };
    const seen = new Set<number>();
    const stack = [declaring];
    while (stack.length > 0) {
      const index = stack.pop()!;
      if (seen.has(index)) continue;
      seen.add(index);
      add(index);
      stack.push(...graph.next[index]!);
    }
    const lineHead = headOfSingleLine(graph, declaring);
    if (lineHead === undefined) return;
    let current: number | undefined = lineHead;
    while (current !== undefined && graph.allNext[current]!.length <= 1 && graph.down[current]!.length <= 1) {
      add(current);
      current = graph.down[current]![0];
    }
  });
  return labels;
}

/** The head reached going up one child at a time, or undefined if the line branches. */
function headOfSingleLine<T extends RevisionNode>(graph: GraphStructure<T>, start: number): number | undefined {
  let current = start;
  for (;;) {
    const children = graph.next[current]!;
    if (children.length === 0) return current;
    if (children.length > 1) return undefined;
    current = children[0]!;
  }
}
