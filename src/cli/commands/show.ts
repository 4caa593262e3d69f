import type { Command } from 'commander';
import { globalsOf, projectOptions, type CliIO } from '../context.js';
import { revisionEntry } from '../format.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('show')
    .description('show the revision(s) an identifier denotes')
    .argument('<rev>', 'revision identifier (id, prefix, head, heads, label@head, current, ...)')
    .action(async (rev: string, _opts: unknown, command: Command) => {
      const { show } = await import('../../api/inspect.js');
      const found = await show({ ...projectOptions(command, io), revision: rev });
      if (globalsOf(command).json) return printJson(io, found);
      for (const info of found) for (const line of revisionEntry(info)) io.out(line);
    });
}
