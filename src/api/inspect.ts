/**
 * The read-only graph commands: heads, branches, history, show. They read the
 * scripts folder's text only; the database is asked just for `current` targets
 * and `history -i`, and only then is a driver loaded.
 */
import { CommandError } from '../errors.js';
import type { ProjectOptions } from './options.js';
import { loadProject } from './project.js';
import { describeRevision, summarizeRevision, type RevisionInfo, type RevisionSummary } from './revision-info.js';

export interface BranchPointInfo {
  readonly revision: RevisionInfo;
  readonly branches: readonly RevisionInfo[];
}

export interface HeadsOptions extends ProjectOptions {
  /** Only those nothing depends on (dependencies count as down revisions). */
  resolveDependencies?: boolean;
  /** Summaries, without doc and create date (what `heads` prints without -v). */
  brief?: boolean;
}

/** `heads`: the heads of the graph; with resolveDependencies, only those nothing depends on. */
export async function heads(options: HeadsOptions & { brief: true }): Promise<RevisionSummary[]>;
export async function heads(options?: HeadsOptions & { brief?: false }): Promise<RevisionInfo[]>;
export async function heads(options?: HeadsOptions): Promise<RevisionSummary[]>;
export async function heads(options: HeadsOptions = {}): Promise<RevisionSummary[]> {
  const { scripts } = await loadProject(options);
  const { map } = scripts;
  const found = options.resolveDependencies ? map.resolve('heads') : map.heads;
  const describe = options.brief ? summarizeRevision : describeRevision;
  return found.map((script) => describe(map, script));
}

/** `branches`: every branch point, newest first, with the revisions it branches into. */
export async function branches(options: ProjectOptions = {}): Promise<BranchPointInfo[]> {
  const { scripts } = await loadProject(options);
  const { map } = scripts;
  return map
    .history({})
    .filter((script) => map.isBranchPoint(script.id))
    .map((script) => ({
      revision: describeRevision(map, script),
      branches: map.childrenOf(script.id).map((id) => describeRevision(map, map.get(id)!)),
    }));
}

export interface HistoryOptions extends ProjectOptions {
  /** `start:end`, either side optional; `current` on either side asks the database. */
  range?: string;
  /** Mark the database's current revisions (asks the database). */
  indicateCurrent?: boolean;
  /**
   * Summaries, without each revision's doc and create date (what `history` prints
   * without -v): on 10,000 revisions, reading every doc is about a tenth of the command.
   */
  brief?: boolean;
}

/** `history`: the scripts in the range, newest first. */
export async function history(options: HistoryOptions & { brief: true }): Promise<RevisionSummary[]>;
export async function history(options?: HistoryOptions & { brief?: false }): Promise<RevisionInfo[]>;
export async function history(options?: HistoryOptions): Promise<RevisionSummary[]>;
export async function history(options: HistoryOptions = {}): Promise<RevisionSummary[]> {
  const { lower, upper } = parseHistoryRange(options.range);
  const { scripts } = await loadProject(options);
  const { map } = scripts;
  const needsDatabase = options.indicateCurrent || lower === 'current' || upper === 'current';
  const current = needsDatabase ? await currentHeadsOf(options) : undefined;
  // `current` on either side is resolved by the graph against the heads read here.
  const found = map.history({ lower, upper, current });
  const describe = options.brief ? summarizeRevision : describeRevision;
  return found.map((script) => describe(map, script, options.indicateCurrent ? current : undefined));
}

/** `show REV`: the revisions an identifier denotes (`current` asks the database). */
export async function show(options: ProjectOptions & { revision: string }): Promise<RevisionInfo[]> {
  const { scripts } = await loadProject(options);
  const { map } = scripts;
  if (options.revision === 'current') {
    const current = await currentHeadsOf(options);
    return current.flatMap((id) => map.resolve(id)).map((script) => describeRevision(map, script));
  }
  return map.resolve(options.revision).map((script) => describeRevision(map, script));
}

function parseHistoryRange(range: string | undefined): { lower?: string; upper?: string } {
  if (range === undefined) return {};
  if (!range.includes(':')) {
    throw new CommandError(`History range '${range}' needs the form [start]:[end], [start]: or :[end], e.g. 'base:head' or '-3:'.`);
  }
  const [lower, upper] = range.trim().split(':', 2) as [string, string];
  return { lower: lower || undefined, upper: upper || undefined };
}

async function currentHeadsOf(options: ProjectOptions): Promise<string[]> {
  const { readCurrentHeads } = await import('./current.js');
  return [...(await readCurrentHeads(options))];
}
