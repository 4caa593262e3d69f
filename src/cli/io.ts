import type { CliIO } from './context.js';

export interface BufferedIO extends CliIO {
  /** Writes the result lines gathered so far to stdout. */
  flush(): void;
}

/**
 * Result lines are gathered and written in one go when the command ends: one write
 * of 10,000 history lines instead of 10,000 writes. Logs go to stderr at once, so
 * progress stays live.
 */
export function createIO(quiet: () => boolean): BufferedIO {
  let pending: string[] = [];
  return {
    out: (line) => {
      pending.push(line);
    },
    log: (line) => {
      if (!quiet()) process.stderr.write(line + '\n');
    },
    warn: (line) => process.stderr.write(line + '\n'),
    flush: () => {
      if (pending.length === 0) return;
      process.stdout.write(pending.join('\n') + '\n');
      pending = [];
    },
  };
}

/** JSON for --json: stable key order as produced, two-space indent. */
export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
