import type { Command } from 'commander';
import type { ProjectOptions } from '../api/options.js';

export type { ProjectOptions };

/** Global options every command accepts (SPEC §5). */
export interface GlobalOptions {
  config?: string;
  name?: string;
  x?: string[];
  raiseerr?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export interface CliIO {
  /** A result line (stdout). */
  out(line: string): void;
  /** A progress or log line (stderr), silenced by -q. */
  log(line: string): void;
  /** A warning (stderr), shown even with -q. */
  warn(line: string): void;
}

export function parseXArgs(values: readonly string[] | undefined): Record<string, string> {
  const xArgs: Record<string, string> = {};
  for (const item of values ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) xArgs[item] = '';
    else xArgs[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return xArgs;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function projectOptions(command: Command, io: CliIO): ProjectOptions & Required<Pick<ProjectOptions, 'xArgs' | 'cwd' | 'log'>> {
  const g = globalsOf(command);
  return {
    config: g.config ?? process.env.MIGRATE_CONFIG,
    name: g.name,
    xArgs: parseXArgs(g.x),
    cwd: process.cwd(),
    log: (line) => io.log(line),
  };
}
