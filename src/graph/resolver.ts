import { ResolutionError } from '../errors.js';
import { MIN_PREFIX_MATCH_KEY_LENGTH, parseInteger, splitBranchLabel } from './identifiers.js';
import type { GraphStructure } from './structure.js';
import { ancestorsOf, descendantsOf, isAncestor } from './traverse.js';
import type { RevisionNode } from './types.js';

/** Alembic's 'base' marker that a downward walk returns when it steps off a base. */
export const BASE = -1;
/**
 * A resolved position: a revision index, BASE, or null — Alembic's None, "nothing /
 * before the first revision" (what 'base' resolves to in most places).
 */
export type Slot = number | null;

/**
 * Identifier resolution, step for step as Alembic's RevisionMap resolves (the same
 * forms, the same precedence, the same errors), on the indexed graph.
 */
export class Resolver {
  constructor(readonly graph: GraphStructure<RevisionNode>) {}

  id(index: number): string {
    return this.graph.nodes[index]!.id;
  }

  /** `heads` / `head` / `base` / `label@…` expanded to keys (ids, labels or raw text). */
  expand(identifier: string | undefined): { keys: string[]; label: string | undefined } {
    let label: string | undefined;
    let rest = identifier;
    if (identifier !== undefined && identifier.includes('@')) ({ label, rest } = splitBranchLabel(identifier));
    if (rest === 'heads') {
      const heads = label ? this.filterForLineage(this.graph.heads, label) : this.graph.realHeads;
      return { keys: heads.map((index) => this.id(index)), label };
    }
    if (rest === 'head') {
      const head = this.currentHead(label);
      return { keys: head === undefined ? [] : [this.id(head)], label };
    }
    if (rest === 'base' || rest === undefined) return { keys: [], label };
    return { keys: [rest], label };
  }

  /** The single head (of a branch); several heads are an error that says what to write instead. */
  currentHead(label?: string): number | undefined {
    let heads: readonly number[] = this.graph.heads;
    if (label) heads = this.filterForLineage(heads, label);
    if (heads.length > 1) {
      throw multipleHeads(heads.map((index) => this.id(index)), label ? `${label}@head` : 'head');
    }
    return heads[0];
  }

  /** Alembic's get_revisions: every revision an identifier names ('base' → none). */
  revisions(identifier: string): Slot[] {
    const { keys, label } = this.expand(identifier);
    if (keys.length === 1) {
      const steps = parseInteger(keys[0]!);
      if (steps !== undefined && steps < 0) {
        // `label@-N` / `-N`: walk down from each head carrying the label.
        let heads = this.revisions('heads');
        if (label !== undefined) heads = heads.filter((head) => head !== null && this.graph.labels[head]!.has(label));
        return heads.map((head) => this.walk(head, steps));
      }
    }
    return keys.map((key) => this.revisionForKey(key, label));
  }

  revisionsOf(identifiers: readonly string[]): Slot[] {
    return identifiers.flatMap((identifier) => this.revisions(identifier));
  }

  /** Alembic's get_revision: exactly one revision, or null for base. */
  revision(identifier: string | undefined): Slot {
    const { keys, label } = this.expand(identifier);
    if (keys.length > 1) throw multipleHeads(keys, identifier ?? 'heads');
    return this.revisionForKey(keys[0], label);
  }

  /** A key (id, label, or unique prefix of either), optionally checked against a branch. */
  revisionForKey(key: string | undefined, branch?: string): Slot {
    const branchRevision = branch ? this.branch(branch) : undefined;
    if (key === undefined) return null;
    let found = this.graph.indexOf.get(key) ?? this.graph.labelOwner.get(key);
    if (found === undefined) {
      let candidates = this.prefixMatches(key);
      if (branchRevision !== undefined) candidates = this.filterForLineage(candidates, branch!);
      if (candidates.length === 0) {
        const hint =
          key.length < MIN_PREFIX_MATCH_KEY_LENGTH
            ? '; please ensure at least four characters are present for partial revision identifier matches'
            : '';
        throw new ResolutionError(
          `Can't locate revision identified by '${key}': no such revision or branch${hint}. Run 'migrate history' or 'migrate heads' to see the revisions.`,
        );
      }
      if (candidates.length > 1) {
        const names = candidates.map((index) => `'${this.id(index)}'`).join(', ');
        throw new ResolutionError(
          `Multiple revisions start with '${key}': ${names}; give more characters of the revision id.`,
        );
      }
      found = candidates[0]!;
    }
    if (branchRevision !== undefined && !this.sharesLineage(found, [branchRevision])) {
      throw new ResolutionError(
        `Revision ${this.id(found)} is not a member of branch '${branch}'; pick a revision on that branch (see 'migrate history').`,
      );
    }
    return found;
  }

  /**
   * Revisions whose id or branch label starts with `prefix`, among keys longer than 3
   * characters (Alembic's rule). Deduplicated by revision, which Alembic does not do.
   */
  prefixMatches(prefix: string): number[] {
    const found = new Set<number>();
    for (const [key, index] of this.graph.indexOf) {
      if (key.length >= MIN_PREFIX_MATCH_KEY_LENGTH && key.startsWith(prefix)) found.add(index);
    }
    for (const [key, index] of this.graph.labelOwner) {
      if (key.length >= MIN_PREFIX_MATCH_KEY_LENGTH && key.startsWith(prefix)) found.add(index);
    }
    return [...found];
  }

  /** A branch named by label, id, or partial id. */
  branch(label: string): number {
    const exact = this.graph.labelOwner.get(label) ?? this.graph.indexOf.get(label);
    if (exact !== undefined) return exact;
    try {
      const found = this.revisionForKey(label);
      if (found === null) throw new Error('unreachable: a key always names a revision');
      return found;
    } catch (error) {
      if (!(error instanceof ResolutionError)) throw error;
      throw new ResolutionError(
        `Can't locate revision identified by '${label}': no such branch '${label}'. Run 'migrate branches' or 'migrate heads' to see the branch labels.`,
      );
    }
  }

  /** The targets that are on the same line (ancestor or descendant) as `against`. */
  filterForLineage(targets: readonly number[], against: string, includeDependencies = false): number[] {
    const { keys, label } = this.expand(against);
    const shares: number[] = [];
    for (const key of label ? [label, ...keys] : keys) {
      const found = this.revisionForKey(key);
      if (found !== null) shares.push(found);
    }
    return targets.filter((target) => this.sharesLineage(target, shares, includeDependencies));
  }

  /** Whether `target` is an ancestor or descendant of one of `against` (any, when empty). */
  sharesLineage(target: number, against: readonly number[], includeDependencies = false): boolean {
    if (against.length === 0) return true;
    return against.some(
      (other) =>
        isAncestor(this.graph, other, target, includeDependencies) ||
        isAncestor(this.graph, target, other, includeDependencies),
    );
  }

  /**
   * Walks `steps` revisions up (positive) or down (negative). Up from null starts at
   * the bases; down past a base gives BASE. Returns null when the walk leaves the
   * graph and `noOverwalk` is set, else stops at the last revision reached.
   */
  walk(start: Slot, steps: number, branch?: string, noOverwalk = true): Slot {
    let current: Slot = start;
    for (let step = 0; step < Math.abs(steps); step++) {
      let candidates: Slot[];
      if (steps > 0) {
        if (current === BASE) throw new ResolutionError('Cannot walk up from base; use base+N.');
        let up = current === null ? [...this.graph.bases] : this.graph.next[current]!;
        if (branch) up = this.filterForLineage(up, branch);
        candidates = up;
      } else if (current === BASE) {
        candidates = [];
      } else {
        const down = current === null ? this.graph.heads : this.graph.down[current]!;
        candidates = down.length === 0 ? [BASE] : [...down];
      }
      if (candidates.length === 0) return noOverwalk ? null : current;
      if (candidates.length > 1) {
        throw new ResolutionError(
          `Ambiguous walk: ${current === null || current === BASE ? 'the graph' : `revision ${this.id(current)}`} has several ${
            steps > 0 ? 'children' : 'parents'
          } (${candidates.map((index) => (index === null || index === BASE ? 'base' : this.id(index))).join(', ')}); name a branch (label@+N) or a revision instead of a relative step.`,
        );
      }
      current = candidates[0]!;
    }
    return current;
  }

  /** The current revisions plus all their ancestors, reduced to the topmost per line. */
  allCurrent(current: readonly string[]): number[] {
    const top = new Set<number>();
    for (const slot of this.revisionsOf(current)) if (slot !== null && slot !== BASE) top.add(slot);
    for (const index of ancestorsOf(this.graph, [...top])) top.add(index);
    return [...top].filter((index) => {
      for (const descendant of descendantsOf(this.graph, [index], false)) {
        if (descendant !== index && top.has(descendant)) return false;
      }
      return true;
    });
  }
}

export function multipleHeads(heads: readonly string[], argument: string): ResolutionError {
  return new ResolutionError(
    `Multiple head revisions are present for given argument '${argument}' (${heads.join(', ')}); please specify a specific target revision, '<branchname>@${
      argument.endsWith('heads') ? 'head' : argument.split('@').pop()
    }' to narrow to a specific head, or 'heads' for all heads.`,
  );
}

export function isRevision(slot: Slot): slot is number {
  return slot !== null && slot !== BASE;
}
