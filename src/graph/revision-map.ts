import { ResolutionError } from '../errors.js';
import { collectDowngrade, collectUpgrade, RangeNotAncestor, topologicalSort } from './collect.js';
import { parseRelative } from './identifiers.js';
import { isRevision, Resolver, type Slot } from './resolver.js';
import { planStampSteps } from './stamp.js';
import { GraphStructure } from './structure.js';
import { parseDowngradeTarget, parseUpgradeTarget } from './targets.js';
import type { MigrationStep, Plan, RevisionNode } from './types.js';
import { VersionRows } from './versions.js';

/** What positionOf() tells of one revision. */
export interface RevisionPosition {
  /** Declared and inherited labels, sorted. */
  readonly branchLabels: readonly string[];
  /** Children through downRevision. */
  readonly nextRevisions: readonly string[];
  /** No child through downRevision. */
  readonly isHead: boolean;
  /** No child through downRevision or dependsOn (Alembic shows the other heads as "effective head"). */
  readonly isRealHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
}

export interface HistoryOptions {
  /** Older end of the range (`base` when absent); 'current' = the current revisions. */
  readonly lower?: string;
  /** Newer end of the range (`heads` when absent); 'current' = the current revisions. */
  readonly upper?: string;
  /** The database's current revisions, for 'current' and relative forms. */
  readonly current?: readonly string[];
}

/**
 * The revision graph: validated on construction (GraphError), then resolves
 * identifiers (ResolutionError) and plans upgrades, downgrades and stamps exactly as
 * Alembic 1.8 does. Pure: no files, no database.
 *
 * The order of `nodes` matters where Alembic's does (its map's insertion order): it
 * orders `heads` and breaks ties between independent lines in plans and history.
 */
export class RevisionMap<T extends RevisionNode> {
  private readonly graph: GraphStructure<T>;
  private readonly resolver: Resolver;
  private readonly sortedLabels = new Map<ReadonlySet<string>, readonly string[]>();
  /** Heads: no child through downRevision (what `migrate heads` lists). */
  readonly heads: readonly T[];
  /** Heads that nothing depends on either (`heads --resolve-dependencies`). */
  readonly realHeads: readonly T[];
  /** Revisions with no downRevision (they may still depend on others). */
  readonly bases: readonly T[];

  constructor(nodes: readonly T[]) {
    this.graph = new GraphStructure(nodes);
    this.resolver = new Resolver(this.graph);
    this.heads = this.graph.heads.map((index) => nodes[index]!);
    this.realHeads = this.graph.realHeads.map((index) => nodes[index]!);
    this.bases = this.graph.bases.map((index) => nodes[index]!);
  }

  /** All revisions, in the order given. */
  get revisions(): readonly T[] {
    return this.graph.nodes;
  }

  /** The revision with exactly this id. */
  get(id: string): T | undefined {
    const index = this.graph.indexOf.get(id);
    return index === undefined ? undefined : this.graph.nodes[index];
  }

  /**
   * The revisions an identifier names (any form of docs/graph.md); 'base' → [].
   * Relative forms without a revision (`+N`, `-N`, `label@±N`) count from `current`
   * when given; `-N` without `current` walks down from the heads, as Alembic does.
   */
  resolve(identifier: string, options: { current?: readonly string[] } = {}): T[] {
    const current = options.current;
    const relative = parseRelative(identifier);
    let slots: Slot[];
    if (relative && relative.symbol === undefined && current !== undefined) {
      slots =
        relative.steps > 0
          ? parseUpgradeTarget(this.resolver, current, identifier, true)
          : [parseDowngradeTarget(this.resolver, current, identifier, true).target];
    } else if (relative && (relative.symbol !== undefined || relative.steps > 0)) {
      slots = parseUpgradeTarget(this.resolver, current ?? [], identifier, true);
    } else {
      slots = this.resolver.revisions(identifier);
    }
    if (slots.some((slot) => slot === null) && relative) {
      throw new ResolutionError(
        `Relative revision '${identifier}' steps past the end of the revision graph; use a smaller step.`,
      );
    }
    return slots.filter(isRevision).map((index) => this.graph.nodes[index]!);
  }

  /**
   * Where a revision stands in the graph, with one lookup of its id. `history` describes
   * 10,000 revisions, mostly before V8 optimises this: a graph without labels skips
   * looking them up.
   */
  positionOf(id: string): RevisionPosition {
    const graph = this.graph;
    const index = graph.indexOf.get(id) ?? this.indexOf(id);
    const children = graph.next[index]!;
    return {
      branchLabels: graph.labelOwner.size === 0 ? NO_IDS : this.labelsAt(index),
      nextRevisions: this.idsAt(children),
      isHead: children.length === 0,
      isRealHead: graph.allNext[index]!.length === 0,
      isBranchPoint: this.isBranchPointAt(index),
      isMergePoint: this.isMergePointAt(index),
    };
  }

  /** Declared and inherited branch labels, sorted. */
  branchLabelsOf(id: string): readonly string[] {
    return this.labelsAt(this.indexOf(id));
  }

  private labelsAt(index: number): readonly string[] {
    const labels = this.graph.labels[index]!;
    if (labels.size === 0) return NO_IDS;
    // Label sets are shared between revisions, and so are their sorted forms.
    let sorted = this.sortedLabels.get(labels);
    if (sorted === undefined) {
      sorted = Object.freeze([...labels].sort());
      this.sortedLabels.set(labels, sorted);
    }
    return sorted;
  }

  /** Children through downRevision. */
  childrenOf(id: string): readonly string[] {
    return this.idsAt(this.graph.next[this.indexOf(id)]!);
  }

  private idsAt(children: readonly number[]): readonly string[] {
    if (children.length === 0) return NO_IDS;
    if (children.length === 1) return [this.graph.nodes[children[0]!]!.id];
    return children.map((index) => this.graph.nodes[index]!.id);
  }

  /** dependsOn resolved to full revision ids. */
  dependenciesOf(id: string): readonly string[] {
    return this.graph.deps[this.indexOf(id)]!.map((index) => this.graph.nodes[index]!.id);
  }

  isBranchPoint(id: string): boolean {
    return this.isBranchPointAt(this.indexOf(id));
  }

  isMergePoint(id: string): boolean {
    return this.isMergePointAt(this.indexOf(id));
  }

  private isBranchPointAt(index: number): boolean {
    return this.graph.next[index]!.length > 1;
  }

  private isMergePointAt(index: number): boolean {
    return this.graph.down[index]!.length > 1;
  }

  /** What `history -r lower:upper` lists, newest first. */
  history(options: HistoryOptions = {}): T[] {
    const current = options.current ?? [];
    const lower = options.lower === 'current' ? (current.length > 0 ? current : 'base') : (options.lower ?? 'base');
    const upper = options.upper === 'current' ? (current.length > 0 ? current : 'heads') : (options.upper ?? 'heads');
    try {
      const { revisions, heads } = collectUpgrade(this.resolver, upper, lower, {
        inclusive: true,
        implicitBase: false,
        assertRelativeLength: false,
      });
      return topologicalSort(this.resolver, revisions, heads).map((index) => this.graph.nodes[index]!);
    } catch (error) {
      if (!(error instanceof RangeNotAncestor)) throw error;
      const range = `${options.lower ?? 'base'}:${options.upper ?? 'heads'}`;
      throw new ResolutionError(
        `Requested range ${range} does not refer to ancestor/descendant revisions along the same branch; put an older revision of the same line on the left.`,
      );
    }
  }

  /** The upgrades `upgrade target` runs from `current`, oldest first, with their row changes. */
  planUpgrade(current: readonly string[], target: string): Plan<T> {
    let order: number[];
    try {
      const { revisions, heads } = collectUpgrade(this.resolver, target, current, {
        inclusive: false,
        implicitBase: true,
        assertRelativeLength: true,
      });
      order = topologicalSort(this.resolver, revisions, heads).reverse();
    } catch (error) {
      if (!(error instanceof RangeNotAncestor)) throw error;
      throw new ResolutionError(
        `Destination ${target} is not a valid upgrade target from current head(s) ${formatCurrent(current)}.`,
      );
    }
    const rows = new VersionRows(this.resolver, current);
    const steps = order.map((index): MigrationStep<T> => ({
      kind: 'upgrade',
      revision: this.graph.nodes[index]!,
      fromRevisions: this.graph.nodes[index]!.downRevisions,
      toRevisions: [this.graph.nodes[index]!.id],
      versionChanges: rows.upgrade(index),
    }));
    return { steps, finalHeads: rows.current };
  }

  /** The downgrades `downgrade target` runs from `current`, newest first, with their row changes. */
  planDowngrade(current: readonly string[], target: string): Plan<T> {
    let order: number[];
    try {
      const { revisions, heads } = collectDowngrade(this.resolver, current, target, { assertRelativeLength: true });
      order = topologicalSort(this.resolver, revisions, heads);
    } catch (error) {
      if (!(error instanceof RangeNotAncestor)) throw error;
      throw new ResolutionError(
        `Destination ${target} is not a valid downgrade target from current head(s) ${formatCurrent(current)}: it is not below them. Run 'migrate current' and 'migrate history' to pick one.`,
      );
    }
    const rows = new VersionRows(this.resolver, current);
    const steps = order.map((index): MigrationStep<T> => ({
      kind: 'downgrade',
      revision: this.graph.nodes[index]!,
      fromRevisions: [this.graph.nodes[index]!.id],
      toRevisions: this.graph.nodes[index]!.downRevisions,
      versionChanges: rows.downgrade(index),
    }));
    return { steps, finalHeads: rows.current };
  }

  /** The row changes `stamp targets…` makes (no scripts run); purge empties the table first. */
  planStamp(current: readonly string[], targets: readonly string[], options: { purge?: boolean } = {}): Plan<T> {
    const { steps, rows } = planStampSteps(this.resolver, current, targets, options.purge ?? false);
    return { steps, finalHeads: rows.current };
  }

  private indexOf(id: string): number {
    const index = this.graph.indexOf.get(id);
    if (index === undefined) {
      throw new ResolutionError(`No revision with id '${id}'; run 'migrate history' to see the revisions.`);
    }
    return index;
  }
}

/** Shared by every revision without labels or children (most of a long history). */
const NO_IDS: readonly string[] = Object.freeze([]);

function formatCurrent(current: readonly string[]): string {
  return current.length === 0 ? '(none: empty database)' : `(${current.join(', ')})`;
}
