import { ResolutionError } from '../errors.js';
import type { Resolver } from './resolver.js';
import { isAncestor } from './traverse.js';
import type { VersionChange } from './types.js';

/**
 * The version table's rows as a plan runs, and the row changes each step makes —
 * Alembic's HeadMaintainer: insert at a base or a new branch, update along a line,
 * delete at a merge or when a branch goes away, insert when a merge is undone.
 * Where Alembic picks from a Python set (which row a merge updates), we take the
 * declared order: the rows after the step are the same.
 */
export class VersionRows {
  private readonly rows: Set<string>;

  constructor(
    private readonly resolver: Resolver,
    initial: readonly string[],
  ) {
    this.rows = new Set(initial);
  }

  get current(): string[] {
    return [...this.rows].sort();
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Row changes after running `index`'s upgrade. */
  upgrade(index: number): VersionChange[] {
    const id = this.resolver.id(index);
    const down = this.resolver.graph.normalizedDown[index]!;
    if (down.length === 1) {
      // The usual step: the one parent's row becomes this revision's.
      const parent = this.resolver.id(down[0]!);
      if (this.rows.has(parent)) return this.apply([{ kind: 'update', from: parent, to: id }]);
    }
    const parents = this.parentIds(index);
    const present = parents.filter((parent) => this.rows.has(parent));
    if (parents.length === 0 || present.length === 0) return this.apply([{ kind: 'insert', version: id }]);
    if (parents.length > 1 && present.length > 1) {
      // A merge: the parents not implied by other rows collapse into this revision.
      const merging = this.withoutAncestorsOfOthers(parents, parents).filter((parent) => this.rows.has(parent));
      const changes: VersionChange[] = merging.slice(0, -1).map((version) => ({ kind: 'delete', version }));
      changes.push({ kind: 'update', from: merging[merging.length - 1]!, to: id });
      return this.apply(changes);
    }
    return this.apply([{ kind: 'update', from: this.singleParentRow(index, parents), to: id }]);
  }

  /** Row changes after running `index`'s downgrade. */
  downgrade(index: number): VersionChange[] {
    const id = this.resolver.id(index);
    const down = this.resolver.graph.normalizedDown[index]!;
    if (down.length === 1 && this.rows.size === 1 && this.rows.has(id)) {
      // The usual step: this row alone, so no other row implies the parent; it goes back to it.
      return this.apply([{ kind: 'update', from: id, to: this.resolver.id(down[0]!) }]);
    }
    const parents = this.parentIds(index);
    if (this.rows.has(id)) {
      const restored = parents.length === 0 ? [] : this.withoutAncestorsOfOthers(parents, [id]);
      if (restored.length === 0) return this.apply([{ kind: 'delete', version: id }]);
      if (parents.length > 1) {
        const changes: VersionChange[] = restored.slice(0, -1).map((version) => ({ kind: 'insert', version }));
        changes.push({ kind: 'update', from: id, to: restored[restored.length - 1]! });
        return this.apply(changes);
      }
    }
    return this.apply([{ kind: 'update', from: id, to: this.singleParentRow(index, parents) }]);
  }

  apply(changes: VersionChange[]): VersionChange[] {
    for (const change of changes) {
      if (change.kind === 'insert') {
        this.rows.add(change.version);
      } else if (change.kind === 'delete') {
        this.rows.delete(change.version);
      } else {
        this.rows.delete(change.from);
        this.rows.add(change.to);
      }
    }
    return changes;
  }

  private parentIds(index: number): string[] {
    return this.resolver.graph.normalizedDown[index]!.map((parent) => this.resolver.id(parent));
  }

  /** `candidates` minus the ancestors of the rows other than `excluding`. */
  private withoutAncestorsOfOthers(candidates: readonly string[], excluding: readonly string[]): string[] {
    const graph = this.resolver.graph;
    const others = [...this.rows].filter((row) => !excluding.includes(row)).map((row) => graph.indexOf.get(row)!);
    return candidates.filter((candidate) => {
      const index = graph.indexOf.get(candidate)!;
      return !others.some((other) => isAncestor(graph, index, other));
    });
  }

  private singleParentRow(index: number, parents: readonly string[]): string {
    if (parents.length === 1) return parents[0]!;
    const present = parents.filter((parent) => this.rows.has(parent));
    if (present.length !== 1) {
      throw new ResolutionError(
        `Can't update the version row for ${this.resolver.id(index)}: its parent row is ambiguous (${parents.join(', ')}); stamp the database to a definite revision first.`,
      );
    }
    return present[0]!;
  }
}
