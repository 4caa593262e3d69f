import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';
import type { HistoryRecord } from '../../api/log.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('log')
    .description('the steps run against the database (the history table), newest first')
    .option('--limit <n>', 'only the newest N steps', (value) => Number.parseInt(value, 10))
    .action(async (options: { limit?: number }, command: Command) => {
      const api = await import('../../api/log.js');
      const records = await api.log({ ...projectOptions(command, io), limit: options.limit });
      if (globalsOf(command).json) return printJson(io, records);
      for (const record of records) io.out(formatRecord(record));
    });
}

/** `2026-03-10 14:05:22Z  upgrade    3a8f -> 9c3e, add phone  (12 ms, by app)` */
function formatRecord(r: HistoryRecord): string {
  const when = r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const side = (revisions: readonly string[]) => (revisions.length > 0 ? revisions.join(', ') : '<base>');
  const message = r.message ? `, ${r.message}` : '';
  return `${when}  ${r.operation.padEnd(9)}  ${side(r.fromRevisions)} -> ${side(r.toRevisions)}${message}  (${r.durationMs} ms, by ${r.dbUser})`;
}
