import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('write migrate.config.ts and a scripts folder from a template')
    .argument('[directory]', 'the scripts folder to create', 'migrations')
    .option('-t, --template <name>', 'init template (see list-templates)', 'generic')
    .action(async (directory: string, options: { template: string }, command: Command) => {
      const { init } = await import('../../api/init.js');
      const result = await init({ ...projectOptions(command, io), directory, template: options.template });
      if (globalsOf(command).json) printJson(io, result);
    });
}
