import type { Command } from 'commander';
import { globalsOf, projectOptions, type CliIO } from '../context.js';
import { formatRevision, revisionLine } from '../format.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('history')
    .description('list the revision scripts, newest first')
    .option('-r, --rev-range <range>', 'range [start]:[end], [start]: or :[end]; `current` asks the database')
    .option('-v, --verbose', 'verbose output')
    .option('-i, --indicate-current', 'mark the current revision(s) (asks the database)')
    .action(async (opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }, command: Command) => {
      const { history } = await import('../../api/inspect.js');
      const request = { ...projectOptions(command, io), range: opts.revRange, indicateCurrent: opts.indicateCurrent };
      const style = { includeBranches: true, includeDoc: true, includeParents: true };
      const json = globalsOf(command).json;
      if (!opts.verbose && !json) {
        // One line each, from summaries (no doc read), and no list per revision: 10,000 of them on a long history.
        for (const info of await history({ ...request, brief: true })) io.out(revisionLine(info, style));
        return;
      }
      const found = await history(request);
      if (json) return printJson(io, found);
      for (const info of found) {
        for (const line of formatRevision(info, true, style)) io.out(line);
      }
    });
}
