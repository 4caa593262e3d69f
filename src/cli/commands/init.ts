import type { Command } from 'commander';
import type { CliIO } from '../context.js';

export function register(program: Command, _io: CliIO): void {
  program.command('init').description('(not implemented yet)');
}
