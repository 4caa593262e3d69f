/** Ranges of offline mode (`upgrade FROM:TO --sql`): parsing, the start rows, and misuse. */
import { CommandError } from '../errors.js';
import type { RevisionMap } from '../graph/index.js';
import type { Plan, RevisionNode } from '../graph/types.js';

export interface RangeArgument {
  /** FROM as written; undefined when the argument has no `:` (or FROM is empty). */
  readonly from?: string;
  readonly to: string;
}

/** `FROM:TO` or `TO`. Revision identifiers never contain `:`. */
export function parseRange(argument: string): RangeArgument {
  const colon = argument.indexOf(':');
  if (colon < 0) return { to: argument };
  const from = argument.slice(0, colon).trim();
  return { from: from || undefined, to: argument.slice(colon + 1).trim() };
}

/** The version rows offline mode takes the database to hold: FROM resolved; [] for none or `base`. */
export function startRows<T extends RevisionNode>(map: RevisionMap<T>, from: string | undefined): string[] {
  if (from === undefined || from === 'base') return [];
  return map.resolve(from, { current: [] }).map((node) => node.id);
}

/** A range is for --sql only: online the start is what the database holds. */
export function refuseOnlineRange(command: string, argument: string, range: RangeArgument): void {
  if (range.from !== undefined || argument.includes(':')) {
    throw new CommandError(`${command} ${argument}: a range FROM:TO is only for --sql (online the database says where it starts); run '${command} ${range.to}'`);
  }
}

/**
 * An offline upgrade whose TO is below FROM plans nothing: Alembic prints an empty
 * transaction, we say the ends are the wrong way round (or unrelated).
 */
export function refuseEmptyUpgradeRange<T extends RevisionNode>(map: RevisionMap<T>, range: RangeArgument, start: readonly string[], plan: Plan<T>): void {
  if (plan.steps.length > 0 || range.from === undefined) return;
  const target = range.to === 'base' ? [] : map.resolve(range.to, { current: start }).map((node) => node.id);
  const same = target.length === start.length && target.every((id) => start.includes(id));
  if (same) return;
  throw new CommandError(
    `upgrade ${range.from}:${range.to} --sql: ${range.to} is not above ${range.from}, so there is nothing to upgrade; ` +
      `for the SQL that goes down from ${range.from} to ${range.to} use 'downgrade ${range.from}:${range.to} --sql'`,
  );
}
