import type { Command } from 'commander';
import { globalsOf, projectOptions, type CliIO } from '../context.js';
import { formatRevision, revisionLine } from '../format.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('branches')
    .description('show the branch points of the revision graph')
    .option('-v, --verbose', 'verbose output')
    .action(async (opts: { verbose?: boolean }, command: Command) => {
      const { branches } = await import('../../api/inspect.js');
      const found = await branches(projectOptions(command, io));
      if (globalsOf(command).json) return printJson(io, found);
      const verbose = Boolean(opts.verbose);
      for (const point of found) {
        for (const line of formatRevision(point.revision, verbose, { includeBranches: true })) io.out(line);
        const indent = ' '.repeat(point.revision.revision.length);
        for (const branch of point.branches) {
          io.out(`${indent} -> ${revisionLine(branch, { includeBranches: true, includeDoc: verbose })}`);
        }
        io.out('');
      }
    });
}
