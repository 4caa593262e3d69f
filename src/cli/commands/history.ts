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
      const found = await history({
        ...projectOptions(command, io),
        range: opts.revRange,
        indicateCurrent: opts.indicateCurrent,
      });
      if (globalsOf(command).json) return printJson(io, found);
      const style = { includeBranches: true, includeDoc: true, includeParents: true };
      if (!opts.verbose) {
        // One line each: no list per revision (10,000 of them on a long history).
        for (const info of found) io.out(revisionLine(info, style));
        return;
      }
      for (const info of found) {
        for (const line of formatRevision(info, true, style)) io.out(line);
      }
    });
}
