import { CommandError } from '../errors.js';
import type { ResolvedConfig } from '../config/types.js';
import { loadProject, loadProjectConfig } from './project.js';
import { withProjectDatabase } from './database.js';
import type { ProjectOptions } from './options.js';
import { describeRevision, type RevisionInfo } from './revision-info.js';

/** A version row no script has (the scripts folder lost it, or another branch wrote it). */
export interface UnknownRevision {
  readonly revision: string;
  readonly known: false;
}

/** One version row, with what the scripts say about it. */
export type CurrentRevision = (RevisionInfo & { readonly known: true }) | UnknownRevision;

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
  return withProjectDatabase(config, ({ session, versionTable }) => versionTable.read(session.query));
}

/** `migrate current`: the revisions the database is at. */
export async function current(options: CurrentOptions): Promise<CurrentResult> {
  const { config, scripts } = await loadProject(options);
  const rows = await readHeads(config);
  const { map } = scripts;
  const heads = map.heads.map((head) => head.id).sort();
  const currentRevisions = rows.map((revision): CurrentRevision => {
    const script = map.get(revision);
    return script ? { ...describeRevision(map, script), known: true } : { revision, known: false };
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
