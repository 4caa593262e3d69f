/** Progress lines in Alembic's wording, plus the step's duration. */

export function describeStepLine(kind: string, from: readonly string[], to: readonly string[], message?: string): string {
  // Alembic leaves the empty side blank: "Running upgrade  -> a1, create users".
  const text = `Running ${kind} ${from.join(', ')} -> ${to.join(', ')}`;
  return message ? `${text}, ${message}` : text;
}

export function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
