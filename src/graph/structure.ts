import { GraphError } from '../errors.js';
import { isValidRevisionId, MIN_PREFIX_MATCH_KEY_LENGTH } from './identifiers.js';
import { findCycleMembers, orderParentsFirst } from './cycles.js';
import { spreadBranchLabels } from './labels.js';
import type { RevisionNode } from './types.js';

/**
 * The validated, indexed form of a revision graph. Revisions are numbered by their
 * position in the input; that order is also the tie-break order wherever Alembic
 * relies on its map's insertion order (heads listing, topological sort).
 */
export class GraphStructure<T extends RevisionNode> {
  readonly indexOf = new Map<string, number>();
  /** Parents through downRevision, as declared. */
  readonly down: number[][];
  /** dependsOn resolved to revisions (labels and partial ids allowed), deduplicated. */
  readonly deps: number[][];
  /** down + deps. */
  readonly allDown: number[][];
  /** Children through downRevision only. */
  readonly next: number[][];
  /** Children through downRevision or dependsOn. */
  readonly allNext: number[][];
  /** Branch label (declared) → the revision declaring it. */
  readonly labelOwner = new Map<string, number>();
  readonly heads: number[] = [];
  readonly realHeads: number[] = [];
  readonly bases: number[] = [];
  /** Every revision after its parents (downRevision), from the cycle check. */
  readonly parentsFirst: Uint32Array;
  /** Whether any revision has a dependsOn: without, the edges with dependencies are the plain ones. */
  private readonly hasDependencies: boolean;
  // Built on first use: `heads` needs none of them (a tenth of a cold 10,000-revision run).
  private normalized: { deps: number[][]; down: number[][] } | undefined;
  private labelSets: ReadonlySet<string>[] | undefined;
  private depths: Uint32Array | undefined;

  constructor(readonly nodes: readonly T[]) {
    const count = nodes.length;
    this.indexRevisions();
    this.indexBranchLabels();
    // Most revisions have no dependency and at most one child: one shared empty list
    // instead of one per revision (fewer objects for the GC in a cold process).
    const down: number[][] = new Array(count);
    const deps: number[][] = new Array(count);
    const next: number[][] = new Array(count).fill(NONE);
    let hasDependencies = false;
    for (let index = 0; index < count; index++) {
      const node = nodes[index]!;
      const parents = node.downRevisions;
      // `[parent]` rather than `[]` and a push, which reserves 16 slots: 10,000 of these stay alive.
      let own: number[] = NONE;
      for (let at = 0; at < parents.length; at++) {
        const parentIndex = this.parentIndex(node, parents[at]!);
        if (at === 0) own = [parentIndex];
        else own.push(parentIndex);
        const children = next[parentIndex]!;
        if (children === NONE) next[parentIndex] = [index];
        else children.push(index);
      }
      down[index] = own;
    }
    // A second pass, so that a missing parent anywhere is reported before a bad dependency.
    for (let index = 0; index < count; index++) {
      const node = nodes[index]!;
      if (node.dependsOn.length === 0) {
        deps[index] = NONE;
      } else {
        hasDependencies = true;
        deps[index] = dedupe(node.dependsOn.map((dep) => this.dependencyIndex(node, dep)));
      }
    }
    this.down = down;
    this.deps = deps;
    this.next = next;
    this.hasDependencies = hasDependencies;
    if (hasDependencies) {
      this.allDown = down.map((parents, index) => concatUnique(parents, deps[index]!));
      this.allNext = nodes.map(() => []);
      for (let index = 0; index < count; index++) {
        for (const parent of this.allDown[index]!) this.allNext[parent]!.push(index);
      }
    } else {
      this.allDown = down;
      this.allNext = next;
    }
    this.parentsFirst = this.checkCycles();
    const allNext = this.allNext;
    for (let index = 0; index < count; index++) {
      if (next[index]!.length === 0) {
        this.heads.push(index);
        if (allNext[index]!.length === 0) this.realHeads.push(index);
      }
      if (down[index]!.length === 0) this.bases.push(index);
    }
  }

  /** deps minus those already depended on by an ancestor (Alembic's normalization). */
  get normalizedDeps(): number[][] {
    return (this.normalized ??= this.normalizeDependencies()).deps;
  }

  /** down + normalizedDeps: the edges migrations follow. */
  get normalizedDown(): number[][] {
    return (this.normalized ??= this.normalizeDependencies()).down;
  }

  /** Declared and inherited labels of each revision (sets are shared between revisions). */
  get labels(): readonly ReadonlySet<string>[] {
    return (this.labelSets ??= spreadBranchLabels(this));
  }

  /** 1 + the largest depth of any parent or dependency: an ancestor always has a smaller depth. */
  get depth(): Uint32Array {
    return (this.depths ??= depths(this.allDown, this.allNext));
  }

  /** `id (file)`, for messages. */
  describe(index: number): string {
    const node = this.nodes[index]!;
    return node.source ? `${node.id} (${node.source})` : node.id;
  }

  private indexRevisions(): void {
    const nodes = this.nodes;
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index]!;
      if (!isValidRevisionId(node.id)) {
        throw new GraphError(
          `Invalid revision id '${node.id}'${from(node)}: use 1–32 characters of A-Z, a-z, 0-9 and _.`,
        );
      }
      if (node.downRevisions.includes(node.id)) {
        throw new GraphError(
          `Self-loop: revision ${node.id}${from(node)} lists itself in downRevision; point it at its parent revision.`,
        );
      }
      if (node.dependsOn.includes(node.id)) {
        throw new GraphError(
          `Dependency self-loop: revision ${node.id}${from(node)} lists itself in dependsOn; remove it.`,
        );
      }
      const earlier = this.indexOf.get(node.id);
      if (earlier !== undefined) {
        throw new GraphError(
          `Revision ${node.id} is present more than once: ${this.nodes[earlier]!.source ?? '?'} and ${node.source ?? '?'}; give one of them a new id.`,
        );
      }
      this.indexOf.set(node.id, index);
    }
  }

  private indexBranchLabels(): void {
    const nodes = this.nodes;
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index]!;
      if (node.branchLabels.length === 0) continue;
      for (const label of node.branchLabels) {
        const owner = this.labelOwner.get(label) ?? this.indexOf.get(label);
        if (owner !== undefined) {
          const what = this.nodes[owner]!.id === label && !this.labelOwner.has(label) ? 'the id of revision' : 'already used by revision';
          throw new GraphError(
            `Branch name '${label}' in revision ${this.describe(index)} is ${what} ${this.describe(owner)}; branch labels must be unique, rename one.`,
          );
        }
        if (!isValidRevisionId(label)) {
          throw new GraphError(
            `Invalid branch label '${label}' in revision ${this.describe(index)}: use letters, digits and _ only.`,
          );
        }
        this.labelOwner.set(label, index);
      }
    }
  }

  private parentIndex(node: T, parent: string): number {
    const index = this.indexOf.get(parent);
    if (index === undefined) {
      throw new GraphError(
        `Revision ${parent} referenced from ${node.id}${from(node)} is not present; fix its downRevision or restore the missing revision file.`,
      );
    }
    return index;
  }

  /** A dependency may name a full id, a branch label, or (our extension) a unique partial id. */
  private dependencyIndex(node: T, dep: string): number {
    const exact = this.indexOf.get(dep) ?? this.labelOwner.get(dep);
    if (exact !== undefined) return exact;
    const candidates = new Set<number>();
    for (const [key, index] of [...this.indexOf, ...this.labelOwner]) {
      if (key.length >= MIN_PREFIX_MATCH_KEY_LENGTH && key.startsWith(dep)) candidates.add(index);
    }
    if (candidates.size === 1) return [...candidates][0]!;
    if (candidates.size > 1) {
      const names = [...candidates].map((index) => this.nodes[index]!.id).join(', ');
      throw new GraphError(
        `Revision ${node.id}${from(node)} depends on '${dep}', which matches several revisions (${names}); write the full id.`,
      );
    }
    throw new GraphError(
      `Revision ${node.id}${from(node)} depends on '${dep}', which is neither a revision nor a branch label; fix its dependsOn.`,
    );
  }

  /** Refuses cycles; returns the revisions parents first (through downRevision). */
  private checkCycles(): Uint32Array {
    const { order, cycleMembers: plain } = orderParentsFirst(this.down, this.next);
    if (plain.length > 0) {
      throw new GraphError(
        `Cycle is detected in revisions (${plain.map((index) => this.describe(index)).join(', ')}); fix their downRevision.`,
      );
    }
    if (!this.hasDependencies) return order;
    const withDeps = findCycleMembers(this.allDown, this.allNext);
    if (withDeps.length > 0) {
      throw new GraphError(
        `Dependency cycle is detected in revisions (${withDeps.map((index) => this.describe(index)).join(', ')}); fix their dependsOn.`,
      );
    }
    return order;
  }

  /**
   * A dependency an ancestor (through downRevision) already declares is dropped, as
   * Alembic does: it only matters once. Only revisions with dependencies pay a walk.
   */
  private normalizeDependencies(): { deps: number[][]; down: number[][] } {
    if (!this.hasDependencies) return { deps: this.deps, down: this.down };
    const normalizedDeps: number[][] = [];
    const normalizedDown: number[][] = [];
    const seen = new Uint32Array(this.nodes.length);
    let stamp = 0;
    for (let index = 0; index < this.nodes.length; index++) {
      const deps = this.deps[index]!;
      let normalized = deps;
      if (deps.length > 0) {
        const keep = new Set(deps);
        stamp++;
        const stack = [...this.down[index]!];
        while (stack.length > 0 && keep.size > 0) {
          const ancestor = stack.pop()!;
          if (seen[ancestor] === stamp) continue;
          seen[ancestor] = stamp;
          for (const inherited of this.deps[ancestor]!) keep.delete(inherited);
          for (const parent of this.down[ancestor]!) stack.push(parent);
        }
        normalized = deps.filter((dep) => keep.has(dep));
      }
      normalizedDeps.push(normalized);
      normalizedDown.push(concatUnique(this.down[index]!, normalized));
    }
    return { deps: normalizedDeps, down: normalizedDown };
  }
}

/** Depths in one topological pass (Kahn); the graph is known to be acyclic here. */
function depths(parents: readonly number[][], children: readonly number[][]): Uint32Array {
  const depth = new Uint32Array(parents.length);
  const waiting = new Uint32Array(parents.length);
  const ready: number[] = [];
  for (let index = 0; index < parents.length; index++) {
    waiting[index] = parents[index]!.length;
    if (waiting[index] === 0) ready.push(index);
  }
  while (ready.length > 0) {
    const index = ready.pop()!;
    for (const child of children[index]!) {
      depth[child] = Math.max(depth[child]!, depth[index]! + 1);
      waiting[child] = waiting[child]! - 1;
      if (waiting[child] === 0) ready.push(child);
    }
  }
  return depth;
}

/** The shared empty edge list. Frozen: a push onto it would be a bug, and throws. */
const NONE: number[] = Object.freeze([]) as unknown as number[];

function from(node: RevisionNode): string {
  return node.source ? ` (${node.source})` : '';
}

/** first + second without repeats; shares `first` when there is nothing to add (most revisions). */
function concatUnique(first: number[], second: number[]): number[] {
  return second.length === 0 ? first : dedupe([...first, ...second]);
}

function dedupe(values: number[]): number[] {
  return values.length < 2 ? values : [...new Set(values)];
}
