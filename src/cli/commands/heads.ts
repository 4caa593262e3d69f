import type { Command } from 'commander';
import { globalsOf, projectOptions, type CliIO } from '../context.js';
import { revisionEntry, revisionLine } from '../format.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('heads')
    .description('show the heads of the revision graph')
    .option('-v, --verbose', 'verbose output')
    .option('--resolve-dependencies', 'treat dependencies as down revisions')
    .action(async (opts: { verbose?: boolean; resolveDependencies?: boolean }, command: Command) => {
      const { heads } = await import('../../api/inspect.js');
      const json = Boolean(globalsOf(command).json);
      const options = { ...projectOptions(command, io), resolveDependencies: opts.resolveDependencies };
      if (json || opts.verbose) {
        const found = await heads(options);
        if (json) return printJson(io, found);
        for (const info of found) for (const line of revisionEntry(info)) io.out(line);
        return;
      }
      // One line each needs no doc: the cache's docs stay unread.
      for (const info of await heads({ ...options, brief: true })) {
        io.out(revisionLine(info, { includeBranches: true, treeIndicators: false }));
      }
    });
}
