import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('merge')
    .description('create a revision that merges heads')
    .argument('[revisions...]', "the heads to merge ('heads' = all of them)", ['heads'])
    .option('-m, --message <message>', 'message of the merge revision')
    .option('--branch-label <label>', 'branch label of the merge revision (repeatable)', collect)
    .option('--rev-id <id>', 'revision id instead of a generated one')
    .action(async (revisions: string[], flags: { message?: string; branchLabel?: string[]; revId?: string }, command: Command) => {
      const { merge } = await import('../../api/merge.js');
      const result = await merge({
        ...projectOptions(command, io),
        revisions,
        message: flags.message,
        branchLabels: flags.branchLabel,
        revId: flags.revId,
      });
      if (globalsOf(command).json) printJson(io, result);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
