import type { GraphStructure } from './structure.js';
import type { RevisionNode } from './types.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * Spreads each declared branch label the way Alembic does: to the declaring revision
 * and all its descendants (through downRevision); and, when those descendants form a
 * single line, from that line's head back down through the declaring revision into
 * its ancestors until a branch point (dependents count) or a merge point.
 */
export function spreadBranchLabels<T extends RevisionNode>(graph: GraphStructure<T>): ReadonlySet<string>[] {
  const nodes = graph.nodes;
  // Revisions with the same labels share one set: a label on a base reaches every revision.
  const labels: ReadonlySet<string>[] = new Array<ReadonlySet<string>>(nodes.length).fill(NONE);
  const declaring: number[] = [];
  for (let index = 0; index < nodes.length; index++) if (nodes[index]!.branchLabels.length > 0) declaring.push(index);
  if (declaring.length === 0) return labels;
  const sets = new SetUnions();
  // Descendants: one pass, parents first; a revision takes its parents' sets and its own
  // labels (one walk per label over its descendants cost ~1 µs a visit on 10,000 revisions).
  const down = graph.down;
  const order = graph.parentsFirst;
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const parents = down[index]!;
    // Most revisions have one parent and no label of their own: no call for them.
    let set = parents.length === 0 ? NONE : labels[parents[0]!]!;
    for (let at = 1; at < parents.length; at++) set = sets.union(set, labels[parents[at]!]!);
    const own = nodes[index]!.branchLabels;
    if (own.length > 0) set = sets.union(set, sets.of(own));
    labels[index] = set;
  }
  // Ancestors: from the head of a single line above the declaring revision, down
  // until a branch or merge point.
  for (const index of declaring) {
    const lineHead = headOfSingleLine(graph, index);
    if (lineHead === undefined) continue;
    const declared = sets.of(nodes[index]!.branchLabels);
    let current: number | undefined = lineHead;
    while (current !== undefined && graph.allNext[current]!.length <= 1 && down[current]!.length <= 1) {
      labels[current] = sets.union(labels[current]!, declared);
      current = down[current]![0];
    }
  }
  return labels;
}

/** Unions of label sets, each pair computed once and reused, so revisions share sets. */
class SetUnions {
  private readonly unions = new Map<ReadonlySet<string>, Map<ReadonlySet<string>, ReadonlySet<string>>>();
  private readonly declared = new Map<readonly string[], ReadonlySet<string>>();

  of(labels: readonly string[]): ReadonlySet<string> {
    let set = this.declared.get(labels);
    if (set === undefined) this.declared.set(labels, (set = new Set(labels)));
    return set;
  }

  union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
    if (a === b || b === NONE) return a;
    if (a === NONE) return b;
    let byOther = this.unions.get(a);
    if (byOther === undefined) this.unions.set(a, (byOther = new Map()));
    let union = byOther.get(b);
    if (union === undefined) {
      const both = new Set([...a, ...b]);
      union = both.size === a.size ? a : both.size === b.size ? b : both;
      byOther.set(b, union);
    }
    return union;
  }
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
