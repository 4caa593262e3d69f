import type { CliIO } from './context.js';

export interface BufferedIO extends CliIO {
  /** Writes what is still gathered: results to stdout, progress to stderr. */
  flush(): void;
}

/** Progress reaches the terminal at least this often while a run goes on. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Result lines are gathered and written in one go when the command ends: one write
 * of 10,000 history lines instead of 10,000 writes. Progress lines (stderr) are
 * written in batches, at most PROGRESS_INTERVAL_MS apart, so a 10,000-step run does not
 * pay a write per step and a short one still shows each line as it happens.
 */
export function createIO(quiet: () => boolean): BufferedIO {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  let results: string[] = [];
  let progress: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flushProgress = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (progress.length === 0) return;
    process.stderr.write(progress.join('\n') + '\n');
    progress = [];
  };
  return {
    out: (line) => {
      results.push(line);
    },
    log: (line) => {
      if (quiet()) return;
      progress.push(line);
      timer ??= setTimeout(flushProgress, PROGRESS_INTERVAL_MS).unref();
    },
    warn: (line) => {
      flushProgress();
      process.stderr.write(line + '\n');
    },
    flush: () => {
      flushProgress();
      if (results.length === 0) return;
      process.stdout.write(results.join('\n') + '\n');
      results = [];
    },
  };
}

/**
 * Ends the process once stdout and stderr have taken everything written to them (pipes
 * are asynchronous on some platforms). Sooner than a natural exit: when the event loop
 * empties, Node first waits for any heap marking V8 has started, and a command that read
 * 10,000 revisions has usually started one (~10 ms of `heads` at 10,000 here). The
 * command's own work (connections, locks, cache files) is done when main() resolves.
 */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const flushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

/**
 * `migrate history | head` closes the pipe before the output ends: the rest is not
 * wanted, which is no error (Node would print its stack). Any other write error still is.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** JSON for --json: stable key order as produced, two-space indent. */
export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
