import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('edit')
    .description("open a revision's file in $EDITOR")
    .argument('<revision>', 'a revision id, prefix, head, label@head, ...')
    .action(async (identifier: string, _flags: unknown, command: Command) => {
      const { edit } = await import('../../api/edit.js');
      const result = await edit({ ...projectOptions(command, io), revision: identifier });
      if (globalsOf(command).json) printJson(io, result);
    });
}
