import type { Command } from 'commander';
import { globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('list-templates')
    .alias('list_templates')
    .description('list the templates init can use')
    .action(async (_options: unknown, command: Command) => {
      const { listTemplates } = await import('../../api/list-templates.js');
      const templates = listTemplates();
      if (globalsOf(command).json) return printJson(io, templates.map(({ name, description }) => ({ name, description })));
      io.out('Available templates:\n');
      for (const template of templates) io.out(`${template.name} - ${template.description}`);
      io.out("\nTemplates are used via the 'init' command, e.g.:\n\n  migrate init --template generic ./migrations");
    });
}
