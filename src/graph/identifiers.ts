import { ResolutionError } from '../errors.js';

/** Revision ids: 1–32 characters of [A-Za-z0-9_] (they must fit the VARCHAR(32) version column). */
const REVISION_ID = /^[A-Za-z0-9_]{1,32}$/;

export function isValidRevisionId(id: string): boolean {
  return REVISION_ID.test(id);
}

/** Alembic only matches a partial id against keys longer than this many characters. */
export const MIN_PREFIX_MATCH_KEY_LENGTH = 4;

/**
 * A relative identifier: `[label@][symbol](+|-)N`. Anchored at the start only, as
 * Alembic's `re.match` is: text after the number is ignored.
 */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)/;

export interface RelativeIdentifier {
  readonly branchLabel: string | undefined;
  /** The revision or symbol the walk starts from; undefined = from the current heads. */
  readonly symbol: string | undefined;
  readonly steps: number;
  /** The step as written ('+2', '-1'), for messages. */
  readonly stepText: string;
}

export function parseRelative(identifier: string): RelativeIdentifier | undefined {
  const match = RELATIVE.exec(identifier);
  if (!match) return undefined;
  const stepText = match[3]!;
  return { branchLabel: match[1], symbol: match[2], steps: Number.parseInt(stepText, 10), stepText };
}

/** Python's int() on a whole identifier ('-1', '+2'): how Alembic spots `label@-N`. */
export function parseInteger(text: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

export interface RevisionRange {
  /** Older end; undefined = base. */
  readonly lower: string | undefined;
  /** Newer end; undefined = heads. */
  readonly upper: string | undefined;
}

/** `start:end` with either side optional (history ranges, offline `from:to`). */
export function parseRange(range: string): RevisionRange {
  const parts = range.trim().split(':');
  if (parts.length !== 2) {
    throw new ResolutionError(
      `Invalid revision range '${range}': write [start]:[end], [start]: or :[end] (e.g. 'base:head').`,
    );
  }
  const [lower, upper] = parts as [string, string];
  return { lower: lower === '' ? undefined : lower, upper: upper === '' ? undefined : upper };
}

/** Splits `label@rest` at the first '@' (Alembic's `split("@", 1)`). */
export function splitBranchLabel(identifier: string): { label: string | undefined; rest: string } {
  const at = identifier.indexOf('@');
  if (at < 0) return { label: undefined, rest: identifier };
  return { label: identifier.slice(0, at), rest: identifier.slice(at + 1) };
}
