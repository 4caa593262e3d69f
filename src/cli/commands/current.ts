import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';
import type { CurrentResult } from '../../api/current.js';
import { revisionEntry, revisionLine } from '../format.js';

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
  for (const revision of result.current) {
    const lines = !revision.known
      ? [`${revision.revision} (no script has this revision id)`]
      : verbose
        ? revisionEntry(revision)
        : [revisionLine(revision)];
    for (const line of lines) io.out(line);
  }
}
