import type { RevisionNode } from '../graph/types.js';
import type { Operations } from '../operations/types.js';

/** A revision file, as read from its text (never executed to build the graph). */
export interface Script extends RevisionNode {
  /** Absolute path of the file. */
  readonly path: string;
  /** First line of the first doc comment ('' if none): what `history` shows. */
  readonly message: string;
  /** The whole first doc comment, de-starred (for `show` and `-v`). */
  readonly doc: string;
  /** `Create Date:` from the doc comment, if any. */
  readonly createDate?: string;
  /** `export const transactional = false` runs the revision outside any transaction. */
  readonly transactional: boolean;
  /** sha256 of the file's text as the scan read it (or the header cache held it). */
  readonly sha256?: string;
}

/** What a revision module exports once imported. */
export interface RevisionModule {
  upgrade(op: Operations): Promise<void> | void;
  downgrade(op: Operations): Promise<void> | void;
}

/** The scripts folder: revisions read from their headers, their graph, modules on demand. */
export interface ScriptDirectory {
  readonly config: import('../config/types.js').ResolvedConfig;
  /** Every revision file, sorted by path. */
  readonly scripts: readonly Script[];
  readonly map: import('../graph/index.js').RevisionMap<Script>;
  /** Imports the revision's module (through the TS loader for .ts), once. */
  loadModule(script: Script): Promise<RevisionModule>;
  /**
   * Imports many at once: TypeScript revisions are compiled into one cached
   * module, so a long upgrade pays one import instead of one per revision.
   */
  loadModules(scripts: readonly Script[]): Promise<RevisionModule[]>;
  /** sha256 hex of the file's current text (read on first call, then remembered). */
  checksum(script: Script): string;
}
