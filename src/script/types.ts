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
}

/** What a revision module exports once imported. */
export interface RevisionModule {
  upgrade(op: Operations): Promise<void> | void;
  downgrade(op: Operations): Promise<void> | void;
}
