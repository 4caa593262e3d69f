import type { RevisionMap } from '../graph/index.js';
import type { Script } from '../script/types.js';

/** A revision as the read commands report it: plain data, ready for --json. */
export interface RevisionInfo {
  readonly revision: string;
  readonly downRevisions: readonly string[];
  /** As written in the file (ids, partial ids or labels). */
  readonly dependsOn: readonly string[];
  /** Declared and inherited labels, sorted. */
  readonly branchLabels: readonly string[];
  /** Children through downRevision. */
  readonly nextRevisions: readonly string[];
  /** No child through downRevision. */
  readonly isHead: boolean;
  /** A head nothing depends on either (Alembic shows the others as "effective head"). */
  readonly isRealHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  /** Set only when the command asked the database (history -i, show current). */
  readonly isCurrent?: boolean;
  readonly path: string;
  /** The first paragraph of the doc comment. */
  readonly message: string;
  /** The whole doc comment. */
  readonly doc: string;
  readonly createDate?: string;
}

export function describeRevision(map: RevisionMap<Script>, script: Script, currentHeads?: readonly string[]): RevisionInfo {
  const id = script.id;
  const position = map.positionOf(id);
  const info: RevisionInfo = {
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
    doc: script.doc,
    createDate: script.createDate,
  };
  return currentHeads ? { ...info, isCurrent: currentHeads.includes(id) } : info;
}
