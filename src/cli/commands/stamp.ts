import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('stamp')
    .description("set the version table to TARGET(s) without running any migration")
    .argument('<targets...>', 'one or more revisions; base clears the table')
    .option('--sql', 'print the SQL instead of running it (offline mode)')
    .option('--purge', 'delete all version rows first, even unknown ones')
    .option('--tag <tag>', 'arbitrary tag (op.tag)')
    .action(async (targets: string[], options: { sql?: boolean; purge?: boolean; tag?: string }, command: Command) => {
      const { stamp } = await import('../../api/stamp.js');
      const result = await stamp({ ...projectOptions(command, io), targets, purge: options.purge, tag: options.tag, sql: options.sql });
      // Offline: stdout carries the SQL and nothing else (even with --json).
      if ('sql' in result && result.sql !== undefined) process.stdout.write(result.sql);
      else if (globalsOf(command).json) printJson(io, result);
    });
}
