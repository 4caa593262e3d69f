import type { CliIO } from './context.js';

export function createIO(quiet: () => boolean): CliIO {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    log: (line) => {
      if (!quiet()) process.stderr.write(line + '\n');
    },
    warn: (line) => process.stderr.write(line + '\n'),
  };
}

/** JSON for --json: stable key order as produced, two-space indent. */
export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
