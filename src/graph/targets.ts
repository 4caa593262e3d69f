import { ResolutionError } from '../errors.js';
import { parseRelative } from './identifiers.js';
import { BASE, isRevision, type Resolver, type Slot } from './resolver.js';
import { ancestorsOf } from './traverse.js';

/** Alembic's message when a relative step leaves the graph. */
export function relativeTooFar(stepText: string, steps: number): ResolutionError {
  return new ResolutionError(
    `Relative revision ${stepText} didn't produce ${Math.abs(steps)} migrations; there are not that many revisions in that direction (see 'migrate history').`,
  );
}

function walkedTooFar(target: string): ResolutionError {
  return new ResolutionError(`Walked too far: '${target}' steps past the end of the revision graph; use a smaller step.`);
}

/**
 * What an upgrade target names, given the current revisions: absolute forms resolve
 * directly; `+N` / `label@+N` walk up from the current revisions; `rev±N` walk from rev.
 */
export function parseUpgradeTarget(
  resolver: Resolver,
  current: readonly string[],
  target: string,
  assertRelativeLength: boolean,
): Slot[] {
  const relative = parseRelative(target);
  if (!relative) return resolver.revisions(target);
  const { branchLabel, symbol, steps, stepText } = relative;
  if (steps > 0) {
    if (symbol === undefined) {
      // Without a label the current revisions are taken as written (one expected).
      let starts: Slot[] = current.length > 0 ? current.map((id) => resolver.revision(id)) : [null];
      if (branchLabel) {
        starts = resolver.filterForLineage(resolver.revisionsOf(current).filter(isRevision), branchLabel);
        if (starts.length === 0) {
          // The branch has no current revision: start from the tip of its applied part.
          const applied = resolver.filterForLineage(
            [...ancestorsOf(resolver.graph, resolver.revisionsOf(current).filter(isRevision))],
            branchLabel,
          );
          const below = new Set(applied.flatMap((index) => resolver.graph.normalizedDown[index]!));
          starts = applied.filter((index) => !below.has(index));
          if (starts.length === 0) starts = [null];
        }
      }
      if (starts.length > 1) {
        throw new ResolutionError(
          `Ambiguous upgrade from multiple current revisions (${current.join(', ')}); use label@+N or name the target revision.`,
        );
      }
      const reached = resolver.walk(starts[0]!, steps, branchLabel, assertRelativeLength);
      if (reached === null) throw relativeTooFar(stepText, steps);
      return [reached];
    }
    return [resolver.walk(resolver.revision(symbol), steps, branchLabel, assertRelativeLength)];
  }
  if (symbol === undefined) throw relativeTooFar(String(steps), steps);
  const start = resolver.revision(branchLabel === undefined ? symbol : `${branchLabel}@${symbol}`);
  return [resolver.walk(start, steps, undefined, assertRelativeLength)];
}

/**
 * What a downgrade target names: `base`, an absolute revision, `-N` / `label@-N` from
 * the current revisions, or `rev±N`. Returns the branch label the target was scoped to.
 */
export function parseDowngradeTarget(
  resolver: Resolver,
  current: readonly string[],
  target: string | undefined,
  assertRelativeLength: boolean,
): { branchLabel: string | undefined; target: Slot } {
  if (target === undefined) return { branchLabel: undefined, target: null };
  const relative = parseRelative(target);
  if (relative) {
    let { branchLabel, symbol } = relative;
    const { steps, stepText } = relative;
    if (steps >= 0) {
      if (symbol === undefined) throw relativeTooFar(stepText, steps);
      const reached = resolver.walk(resolver.revision(symbol), steps, branchLabel, assertRelativeLength);
      if (reached === null) throw walkedTooFar(target);
      return { branchLabel, target: reached };
    }
    const fromCurrent = symbol === undefined;
    if (fromCurrent) {
      if (branchLabel) {
        let onBranch = resolver
          .filterForLineage(resolver.revisionsOf(current).filter(isRevision), branchLabel)
          .map((index) => resolver.id(index));
        if (onBranch.length === 0) {
          // Other branches' heads may depend on the single current head: look at all current lines.
          onBranch = resolver.filterForLineage(resolver.allCurrent(current), branchLabel).map((index) => resolver.id(index));
        }
        if (onBranch.length !== 1) {
          throw new ResolutionError(
            `Can't resolve '${target}': ${onBranch.length === 0 ? 'no' : 'several'} current revisions on branch '${branchLabel}'; name the target revision instead.`,
          );
        }
        symbol = onBranch[0]!;
      } else {
        if (current.length === 0) throw relativeTooFar(stepText, steps);
        symbol = current[0]!;
        branchLabel = symbol;
      }
    }
    const start = resolver.revision(branchLabel === undefined ? symbol! : `${branchLabel}@${symbol}`);
    const reached = resolver.walk(start, steps, undefined, assertRelativeLength);
    if (reached === null) throw fromCurrent ? relativeTooFar(stepText, steps) : walkedTooFar(target);
    return { branchLabel, target: reached };
  }
  const at = target.lastIndexOf('@');
  const branchLabel = at > 0 ? target.slice(0, at) : undefined;
  const resolved = resolver.revision(at >= 0 ? target.slice(at + 1) : target);
  return { branchLabel, target: resolved === BASE ? null : resolved };
}
