import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';
import type { CurrentResult, CurrentRevision } from '../../api/current.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('current')
    .description("show the database's current revision(s)")
    .option('-v, --verbose', 'full details of each revision')
    .option('--check-heads', 'fail unless the database is at every head')
    .action(async (options: { verbose?: boolean; checkHeads?: boolean }, command: Command) => {
      const api = await import('../../api/current.js');
      let result: CurrentResult;
      try {
        result = await api.current({ ...projectOptions(command, io), checkHeads: options.checkHeads });
      } catch (error) {
        // Still show where the database is before failing.
        if (error instanceof api.NotAtHeadsError) print(error.result, options.verbose, globalsOf(command).json, io);
        throw error;
      }
      print(result, options.verbose, globalsOf(command).json, io);
    });
}

function print(result: CurrentResult, verbose: boolean | undefined, json: boolean | undefined, io: CliIO): void {
  if (json) return printJson(io, result);
  if (verbose) io.out(`Current revision(s) for ${result.database}:`);
  for (const revision of result.current) io.out(verbose ? verboseEntry(revision) : shortEntry(revision));
}

/** Alembic's `current` line: `a1b2c3 (head)`, with (branchpoint)/(mergepoint) marks. */
function shortEntry(r: CurrentRevision): string {
  return `${r.revision}${r.isHead ? ' (head)' : ''}${r.isBranchPoint ? ' (branchpoint)' : ''}${r.isMergePoint ? ' (mergepoint)' : ''}`;
}

/** Alembic's verbose revision entry (`current -v`). */
function verboseEntry(r: CurrentRevision): string {
  if (!r.known) return `Rev: ${r.revision} (no script has this revision id)\n`;
  const lines = [`Rev: ${r.revision}${r.isHead ? ' (head)' : ''}${r.isBranchPoint ? ' (branchpoint)' : ''}${r.isMergePoint ? ' (mergepoint)' : ''}`];
  const parents = r.downRevisions.length > 0 ? r.downRevisions.join(', ') : '<base>';
  lines.push(r.isMergePoint ? `Merges: ${parents}` : `Parent: ${parents}`);
  if (r.dependsOn.length > 0) lines.push(`Also depends on: ${r.dependsOn.join(', ')}`);
  if (r.isBranchPoint) lines.push(`Branches into: ${r.childRevisions.join(', ')}`);
  if (r.branchLabels.length > 0) lines.push(`Branch names: ${r.branchLabels.join(', ')}`);
  lines.push(`Path: ${r.path ?? ''}`, '');
  for (const line of (r.doc ?? '').split('\n')) lines.push(`    ${line}`);
  return lines.join('\n') + '\n';
}
