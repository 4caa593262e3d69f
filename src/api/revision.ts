import { isAbsolute, dirname, resolve } from 'node:path';
import { CommandError, MigrateError } from '../errors.js';
import { REVISION_ID } from '../script/header.js';
import { generateRevisionId } from '../script/naming.js';
import type { Script, ScriptDirectory } from '../script/types.js';
import { writeRevisionFile } from '../script/write.js';
import type { ProjectOptions } from './options.js';
import { loadProject } from './project.js';

export interface RevisionOptions {
  /** -m: the first line of the doc comment and the slug of the file name. */
  message?: string;
  /** --head: the revision to build on (default 'head'); 'base' starts a new root. */
  head?: string;
  /** --splice: allow a --head that is not a head (starts a new branch from it). */
  splice?: boolean;
  /** --branch-label (repeatable). */
  branchLabels?: string[];
  /** --version-path: one of the config's versionLocations. */
  versionPath?: string;
  /** --rev-id: instead of a generated 12-hex-digit id. */
  revId?: string;
  /** --depends-on (repeatable): ids, prefixes or labels; written as full ids. */
  dependsOn?: string[];
  /** Refused: alembic-ts has no model metadata to compare against. */
  autogenerate?: boolean;
  /** Refused: revision writes a file, there is no SQL to print. */
  sql?: boolean;
}

export interface RevisionResult {
  readonly revision: string;
  readonly path: string;
  readonly message: string;
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
}

/** Scaffolds a new revision file from the template (Alembic's `revision`). */
export async function revision(options: ProjectOptions & RevisionOptions = {}): Promise<RevisionResult> {
  if (options.autogenerate) {
    throw new CommandError(
      '--autogenerate is not supported: alembic-ts has no model metadata to compare; write upgrade() and downgrade() by hand.',
    );
  }
  if (options.sql) throw new CommandError('revision does not take --sql: it writes a file; use upgrade --sql to see SQL.');
  const { scripts } = await loadProject(options);
  const map = scripts.map;
  const headId = options.head ?? 'head';

  if (headId === 'head' && map.heads.length > 1) {
    throw new CommandError(
      `Multiple heads are present (${map.heads.map((h) => h.id).join(', ')}); please specify the head revision on which the new revision should be based (--head), or perform a merge.`,
    );
  }
  const parents = resolveOrCommandError(scripts, headId);
  if (!options.splice) {
    const headIds = new Set(map.heads.map((head) => head.id));
    for (const parent of parents) {
      if (!headIds.has(parent.id)) {
        throw new CommandError(
          `Revision ${parent.id} is not a head revision; please specify --splice to create a new branch from this revision.`,
        );
      }
    }
  }
  const dependsOn = (options.dependsOn ?? []).map((dep) => {
    const found = resolveOrCommandError(scripts, dep);
    if (found.length !== 1) throw new CommandError(`--depends-on ${dep} must name exactly one revision.`);
    return found[0]!.id;
  });
  return createRevision(options, scripts, {
    message: options.message,
    parents,
    dependsOn,
    branchLabels: options.branchLabels ?? [],
    versionPath: options.versionPath,
    revId: options.revId,
  });
}

export interface NewRevisionRequest {
  readonly message?: string;
  readonly parents: readonly Script[];
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly versionPath?: string;
  readonly revId?: string;
}

/** Shared by revision and merge: checks id and labels, picks the folder, writes the file. */
export async function createRevision(
  project: ProjectOptions,
  scripts: ScriptDirectory,
  request: NewRevisionRequest,
): Promise<RevisionResult> {
  const { config, map } = scripts;
  const id = request.revId ?? uniqueId(scripts);
  if (!REVISION_ID.test(id)) {
    throw new CommandError(`Invalid --rev-id '${id}': ids are 1 to 32 characters of A-Z, a-z, 0-9 and _.`);
  }
  if (map.get(id)) throw new CommandError(`Revision ${id} is already present (${map.get(id)!.path}): pick another --rev-id.`);
  for (const label of request.branchLabels) {
    const owner = scripts.scripts.find((script) => script.branchLabels.includes(label));
    if (owner) throw new CommandError(`Branch name '${label}' is already used by revision ${owner.id}: pick another label.`);
  }
  const message = request.message ?? 'empty message';
  const path = await writeRevisionFile(
    config,
    {
      revision: id,
      message,
      downRevisions: request.parents.map((parent) => parent.id),
      branchLabels: request.branchLabels,
      dependsOn: request.dependsOn,
      directory: versionDirectory(scripts, request.parents, request.versionPath, project.cwd ?? process.cwd()),
    },
    project.log ?? (() => undefined),
  );
  return {
    revision: id,
    path,
    message,
    downRevisions: request.parents.map((parent) => parent.id),
    branchLabels: [...request.branchLabels],
    dependsOn: [...request.dependsOn],
  };
}

/** --version-path if given (must be a version location), else the head's folder, else the only one. */
function versionDirectory(scripts: ScriptDirectory, parents: readonly Script[], versionPath: string | undefined, cwd: string): string {
  const locations = scripts.config.versionLocations;
  if (versionPath !== undefined) {
    const wanted = isAbsolute(versionPath) ? resolve(versionPath) : resolve(cwd, versionPath);
    if (!locations.includes(wanted)) {
      throw new CommandError(
        `Path ${wanted} is not one of the version locations (${locations.join(', ')}): add it to versionLocations in the config.`,
      );
    }
    return wanted;
  }
  if (locations.length === 1) return locations[0]!;
  const parentFolder = parents.map((parent) => dirname(parent.path)).find((dir) => locations.includes(dir));
  if (parentFolder) return parentFolder;
  throw new CommandError(`Multiple version locations present (${locations.join(', ')}): please specify --version-path.`);
}

export function resolveOrCommandError(scripts: ScriptDirectory, identifier: string): Script[] {
  try {
    return scripts.map.resolve(identifier);
  } catch (error) {
    if (error instanceof MigrateError) throw error;
    throw new CommandError(`Cannot resolve '${identifier}': ${(error as Error).message}`);
  }
}

function uniqueId(scripts: ScriptDirectory): string {
  for (;;) {
    const id = generateRevisionId();
    if (!scripts.map.get(id)) return id;
  }
}
