import type { Command } from 'commander';
import { globalsOf, projectOptions, type CliIO } from '../context.js';
import { formatRevision } from '../format.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('heads')
    .description('show the heads of the revision graph')
    .option('-v, --verbose', 'verbose output')
    .option('--resolve-dependencies', 'treat dependencies as down revisions')
    .action(async (opts: { verbose?: boolean; resolveDependencies?: boolean }, command: Command) => {
      const { heads } = await import('../../api/inspect.js');
      const found = await heads({ ...projectOptions(command, io), resolveDependencies: opts.resolveDependencies });
      if (globalsOf(command).json) return printJson(io, found);
      for (const info of found) {
        for (const line of formatRevision(info, Boolean(opts.verbose), { includeBranches: true, treeIndicators: false })) io.out(line);
      }
    });
}
