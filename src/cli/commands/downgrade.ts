import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('downgrade')
    .description('run downgrades from the current revision(s) to TARGET')
    .argument('<target>', 'base, a revision, -N, label@-N, ...')
    .option('--sql', 'print the SQL instead of running it (offline mode)')
    .option('--tag <tag>', 'arbitrary tag for the migrations (op.tag)')
    .action(async (target: string, options: { sql?: boolean; tag?: string }, command: Command) => {
      const { downgrade } = await import('../../api/downgrade.js');
      const result = await downgrade({ ...projectOptions(command, io), target, tag: options.tag, sql: options.sql });
      // Offline: stdout carries the SQL and nothing else (even with --json).
      if ('sql' in result && result.sql !== undefined) process.stdout.write(result.sql);
      else if (globalsOf(command).json) printJson(io, result);
    });
}
