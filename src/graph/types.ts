/**
 * The contract of the pure revision graph (src/graph). No I/O, no knex: the script
 * layer builds nodes from file headers, the runtime executes the plans.
 */

/** One revision as the graph sees it. The script layer extends it with file data. */
export interface RevisionNode {
  /** Full revision id, 1–32 chars of [A-Za-z0-9_]. */
  readonly id: string;
  /** Parents through downRevision; empty at a base; several at a merge point. */
  readonly downRevisions: readonly string[];
  /** As written in the file: full ids, partial ids or branch labels. */
  readonly dependsOn: readonly string[];
  /** Labels declared by this revision (not the ones it inherits). */
  readonly branchLabels: readonly string[];
  /** Where the revision comes from, for error messages (a file path in practice). */
  readonly source?: string;
}

/** How the version table's rows change after one step (Alembic's HeadMaintainer). */
export type VersionChange =
  | { readonly kind: 'insert'; readonly version: string }
  | { readonly kind: 'delete'; readonly version: string }
  | { readonly kind: 'update'; readonly from: string; readonly to: string };

/** One script run (upgrade or downgrade) and what it does to the version rows. */
export interface MigrationStep<T extends RevisionNode = RevisionNode> {
  readonly kind: 'upgrade' | 'downgrade';
  /** The revision whose upgrade()/downgrade() runs. */
  readonly revision: T;
  /** Revisions this step moves from: for an upgrade the revision's parents (empty at a base). */
  readonly fromRevisions: readonly string[];
  /** Revisions this step moves to: for a downgrade the parents (empty at a base). */
  readonly toRevisions: readonly string[];
  /** Row changes applied right after the script runs, in order. */
  readonly versionChanges: readonly VersionChange[];
}

/** A stamp moves the version rows without running any script. */
export interface StampStep {
  readonly kind: 'stamp';
  readonly fromRevisions: readonly string[];
  readonly toRevisions: readonly string[];
  readonly versionChanges: readonly VersionChange[];
}

export type Step<T extends RevisionNode = RevisionNode> = MigrationStep<T> | StampStep;

export interface Plan<T extends RevisionNode = RevisionNode> {
  readonly steps: readonly Step<T>[];
  /** The version rows after the whole plan, sorted. */
  readonly finalHeads: readonly string[];
}
