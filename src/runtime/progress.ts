/** Progress lines in Alembic's wording, plus the step's duration. */

export function describeStepLine(kind: string, from: readonly string[], to: readonly string[], message?: string): string {
  // Alembic leaves the empty side blank: "Running upgrade  -> a1, create users".
  const text = `Running ${kind} ${listed(from)} -> ${listed(to)}`;
  return message ? `${text}, ${message}` : text;
}

/** A step has one revision on a side but at merges and branch points: no join for it (a run writes one line per step). */
function listed(revisions: readonly string[]): string {
  return revisions.length === 1 ? revisions[0]! : revisions.join(', ');
}

/**
 * "0.4 ms", "12 ms". Tenths from integers: Number#toFixed was ~1 µs a call, the largest
 * part of a progress line (one per step).
 */
export function formatDuration(ms: number): string {
  if (!(ms < 9.95)) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms * 10);
  return `${Math.floor(tenths / 10)}.${tenths % 10} ms`;
}
