import type { RevisionMap, RevisionPosition } from '../graph/index.js';
import type { Script } from '../script/types.js';

/**
 * A revision's place and summary, without its doc: what one-line listings print. The
 * graph facts (labels, children, head and branch/merge point flags) are RevisionPosition's.
 */
export interface RevisionSummary extends RevisionPosition {
  readonly revision: string;
  readonly downRevisions: readonly string[];
  /** As written in the file (ids, partial ids or labels). */
  readonly dependsOn: readonly string[];
  /** Set only when the command asked the database (history -i, show current). */
  readonly isCurrent?: boolean;
  readonly path: string;
  /** The first paragraph of the doc comment. */
  readonly message: string;
}

/** A revision as the read commands report it: plain data, ready for --json. */
export interface RevisionInfo extends RevisionSummary {
  /** The whole doc comment. */
  readonly doc: string;
  readonly createDate?: string;
}

export function describeRevision(map: RevisionMap<Script>, script: Script, currentHeads?: readonly string[]): RevisionInfo {
  const info: RevisionInfo = { ...summarizeRevision(map, script), doc: script.doc, createDate: script.createDate };
  return currentHeads ? { ...info, isCurrent: currentHeads.includes(info.revision) } : info;
}

/**
 * describeRevision without the doc and create date: for a cached script those are read
 * from the cache only when asked for, and a one-line history of 10,000 revisions need not.
 */
export function summarizeRevision(map: RevisionMap<Script>, script: Script, currentHeads?: readonly string[]): RevisionSummary {
  const id = script.id;
  const position = map.positionOf(id);
  const summary: RevisionSummary = {
    revision: id,
    downRevisions: script.downRevisions,
    dependsOn: script.dependsOn,
    branchLabels: position.branchLabels,
    nextRevisions: position.nextRevisions,
    isHead: position.isHead,
    isRealHead: position.isRealHead,
    isBranchPoint: position.isBranchPoint,
    isMergePoint: position.isMergePoint,
    path: script.path,
    message: script.message,
  };
  return currentHeads ? { ...summary, isCurrent: currentHeads.includes(id) } : summary;
}
