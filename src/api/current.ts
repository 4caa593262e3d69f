import { CommandError } from '../errors.js';
import type { ResolvedConfig } from '../config/types.js';
import { loadProject, loadProjectConfig } from './project.js';
import { withProjectDatabase } from './database.js';
import type { ProjectOptions } from './options.js';

/** One version row, with what the scripts say about it. */
export interface CurrentRevision {
  readonly revision: string;
  /** false when no script has this id (a revision the scripts folder lost). */
  readonly known: boolean;
  readonly isHead: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly childRevisions: readonly string[];
  readonly path?: string;
  readonly doc?: string;
  readonly message?: string;
}

export interface CurrentResult {
  /** The database URL, password masked. */
  readonly database: string;
  readonly current: readonly CurrentRevision[];
  /** The heads of the scripts, sorted. */
  readonly heads: readonly string[];
  /** The version rows are exactly the heads. */
  readonly atHeads: boolean;
}

export interface CurrentOptions extends ProjectOptions {
  /** Fail unless the database is at every head. */
  readonly checkHeads?: boolean;
}

/** The database's version rows, sorted; [] when the version table does not exist (it is never created here). */
export async function readCurrentHeads(options: ProjectOptions): Promise<readonly string[]> {
  return readHeads(await loadProjectConfig(options));
}

export function readHeads(config: ResolvedConfig): Promise<string[]> {
  return withProjectDatabase(config, ({ session, versionTable }) => versionTable.read(session.knex));
}

/** `migrate current`: the revisions the database is at. */
export async function current(options: CurrentOptions): Promise<CurrentResult> {
  const { config, scripts } = await loadProject(options);
  const rows = await readHeads(config);
  const { map } = scripts;
  const heads = map.heads.map((head) => head.id).sort();
  const currentRevisions = rows.map((revision): CurrentRevision => {
    const script = map.get(revision);
    if (!script) {
      return { revision, known: false, isHead: false, isBranchPoint: false, isMergePoint: false, downRevisions: [], dependsOn: [], branchLabels: [], childRevisions: [] };
    }
    return {
      revision,
      known: true,
      isHead: heads.includes(revision),
      isBranchPoint: map.isBranchPoint(revision),
      isMergePoint: map.isMergePoint(revision),
      downRevisions: script.downRevisions,
      dependsOn: script.dependsOn,
      branchLabels: map.branchLabelsOf(revision),
      childRevisions: map.childrenOf(revision),
      path: script.path,
      doc: script.doc,
      message: script.message,
    };
  });
  const atHeads = rows.length === heads.length && rows.every((row) => heads.includes(row));
  const result = { database: config.database?.displayUrl ?? '', current: currentRevisions, heads, atHeads };
  if (options.checkHeads && !atHeads) {
    throw new NotAtHeadsError(result);
  }
  return result;
}

/** --check-heads failed; carries the result so the CLI can still print it. */
export class NotAtHeadsError extends CommandError {
  constructor(readonly result: CurrentResult) {
    const at = result.current.length > 0 ? result.current.map((c) => c.revision).join(', ') : 'base';
    super(`The database is at ${at}, not at the heads (${result.heads.join(', ') || 'none'}): run 'migrate upgrade heads'`);
  }
}
