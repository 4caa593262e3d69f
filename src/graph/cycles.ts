/**
 * Revisions in an order where each comes after its parents (Kahn's algorithm), and
 * those on or between cycles, found without recursion: peel off everything reachable
 * from a base, then peel the leftovers' descendants from the other end. What remains
 * cannot be ordered. With cycles, `order` holds only the revisions that could be ordered.
 */
export function orderParentsFirst(
  parents: readonly number[][],
  children: readonly number[][],
): { order: Uint32Array; cycleMembers: number[] } {
  const count = parents.length;
  const removed = new Uint8Array(count);
  const order = new Uint32Array(count);
  if (peel(parents, children, removed, order) === count) return { order, cycleMembers: [] };
  const remaining: number[] = [];
  for (let index = 0; index < count; index++) if (!removed[index]) remaining.push(index);
  // Second pass from the heads' side, among the leftovers only.
  const trimmed = new Uint8Array(count).fill(1);
  for (const index of remaining) trimmed[index] = 0;
  peel(children, parents, trimmed, new Uint32Array(count));
  return { order, cycleMembers: remaining.filter((index) => !trimmed[index]) };
}

export function findCycleMembers(parents: readonly number[][], children: readonly number[][]): number[] {
  return orderParentsFirst(parents, children).cycleMembers;
}

/**
 * Repeatedly removes nodes none of whose `inward` neighbours remain, writing them to
 * `order` as they go; returns how many. Indexed loops, not for-of: this runs once per
 * command, mostly before V8 optimises it, and an iterator per edge list is then most of
 * its cost (10,000 revisions: 11 → 4–6 ms).
 */
function peel(inward: readonly number[][], outward: readonly number[][], removed: Uint8Array, order: Uint32Array): number {
  const waiting = new Uint32Array(inward.length);
  // A stack of fixed size: each node enters it at most once.
  const ready = new Uint32Array(inward.length);
  let top = 0;
  let placed = 0;
  for (let index = 0; index < inward.length; index++) {
    if (removed[index]) continue;
    const edges = inward[index]!;
    let count = 0;
    for (let at = 0; at < edges.length; at++) if (!removed[edges[at]!]) count++;
    waiting[index] = count;
    if (count === 0) ready[top++] = index;
  }
  while (top > 0) {
    const index = ready[--top]!;
    removed[index] = 1;
    order[placed++] = index;
    const edges = outward[index]!;
    for (let at = 0; at < edges.length; at++) {
      const other = edges[at]!;
      if (removed[other]) continue;
      waiting[other] = waiting[other]! - 1;
      if (waiting[other] === 0) ready[top++] = other;
    }
  }
  return placed;
}
