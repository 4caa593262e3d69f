import { CommandError } from '../errors.js';
import type { Script } from '../script/types.js';
import type { ProjectOptions } from './options.js';
import { loadProject } from './project.js';
import { createRevision, resolveOrCommandError, type RevisionResult } from './revision.js';

export interface MergeOptions {
  /** Revisions to merge (each may be `heads`, a label@head, a prefix…); default ['heads']. */
  revisions?: string[];
  message?: string;
  branchLabels?: string[];
  revId?: string;
}

/** A new revision whose downRevision is the given heads (Alembic's `merge`). */
export async function merge(options: ProjectOptions & MergeOptions = {}): Promise<RevisionResult> {
  const { scripts } = await loadProject(options);
  const identifiers = options.revisions && options.revisions.length > 0 ? options.revisions : ['heads'];
  const parents: Script[] = [];
  for (const identifier of identifiers) {
    for (const script of resolveOrCommandError(scripts, identifier)) {
      if (!parents.includes(script)) parents.push(script);
    }
  }
  const headIds = new Set(scripts.map.heads.map((head) => head.id));
  for (const parent of parents) {
    if (!headIds.has(parent.id)) {
      throw new CommandError(`Revision ${parent.id} is not a head revision: merge joins heads; see \`migrate heads\`.`);
    }
  }
  if (parents.length < 2) {
    throw new CommandError(
      `Nothing to merge: ${identifiers.join(' ')} ${parents.length === 0 ? 'names no revision' : `is the single revision ${parents[0]!.id}`}; merge needs two or more heads.`,
    );
  }
  return createRevision(options, scripts, {
    message: options.message,
    parents,
    dependsOn: [],
    branchLabels: options.branchLabels ?? [],
    revId: options.revId,
  });
}
