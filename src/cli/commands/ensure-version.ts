import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('ensure-version')
    .alias('ensure_version')
    .description('create the version table if it does not exist')
    .option('--sql', 'print the SQL instead of running it (offline mode)')
    .action(async (options: { sql?: boolean }, command: Command) => {
      const { ensureVersion } = await import('../../api/ensure-version.js');
      const result = await ensureVersion({ ...projectOptions(command, io), sql: options.sql });
      // Offline: stdout carries the SQL and nothing else (even with --json).
      if ('sql' in result && result.sql !== undefined) process.stdout.write(result.sql);
      else if (globalsOf(command).json) printJson(io, result);
    });
}
