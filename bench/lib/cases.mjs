// Repeated, checked runs of one command, and the record each case leaves.
import { join } from 'node:path';
import { timeCommand, tail, median } from './measure.mjs';
import { WORK } from './tools.mjs';

export class BenchFailure extends Error {}

/** Runs `spec` once; throws BenchFailure when it exits non-zero or `verify` finds a problem. */
export async function timedRun(label, spec, verify) {
  const logFile = join(WORK, 'logs', `${label.replace(/[^a-z0-9.-]+/gi, '_')}.log`);
  const result = await timeCommand({ ...spec, logFile });
  if (result.code !== 0) throw new BenchFailure(`${label} exited with ${result.code}:\n${tail(logFile)}`);
  if (verify) {
    const problem = await verify(logFile);
    if (problem) throw new BenchFailure(`${label}: ${problem}\n${tail(logFile)}`);
  }
  return result;
}

/**
 * Calls `runOnce()` up to `runs` times; stops early once the samples took more than
 * `budgetMs` (slow cases get fewer runs, which the table shows). `runOnce` returns
 * { [metric]: { ms, rssMb } }.
 */
export async function repeat({ runs, budgetMs }, runOnce) {
  const samples = [];
  let spent = 0;
  for (let i = 0; i < runs; i++) {
    const sample = await runOnce(i);
    samples.push(sample);
    spent += Object.values(sample).reduce((sum, s) => sum + s.ms, 0);
    if (spent > budgetMs) break;
  }
  return samples;
}

/** Records of one tool in one case: { suite, case, tool, ms, peakMb, runs } per metric. */
export function summarize(samples, base) {
  const metrics = Object.keys(samples[0] ?? {});
  return metrics.map((metric) => {
    const peaks = samples.map((s) => s[metric].rssMb).filter((v) => v !== null);
    return {
      ...base,
      case: metric,
      ms: median(samples.map((s) => s[metric].ms)),
      peakMb: peaks.length ? Math.max(...peaks) : null,
      runs: samples.length,
    };
  });
}

/** Runs a measurement; a failure becomes a record carrying the error instead of a time. */
export async function guarded(base, metrics, fn) {
  try {
    return summarize(await fn(), base);
  } catch (error) {
    if (!(error instanceof BenchFailure)) throw error;
    return failureRecords(base, metrics, error);
  }
}

function failureRecords(base, metrics, error) {
  const firstLine = error.message.split("\n").filter(Boolean).slice(-1)[0].slice(0, 300);
  process.stderr.write(`  ! ${error.message}\n`);
  return metrics.map((metric) => ({ ...base, case: metric, ms: NaN, peakMb: null, runs: 0, error: firstLine }));
}

/**
 * Like `repeat` for several cases at once, round by round (A1 B1 C1 B2 C2 A2 C3 A3 B3 …),
 * so that tools whose ratio is a target see the same machine load: on a shared 2-core
 * machine the load drifts over minutes. Each round starts one case further on, so no
 * tool always runs first, or always right after the same other one. Each case is
 * `{ base, metrics, runOnce }` and stops on its own budget or failure. Returns the
 * records of all cases, in the order given.
 */
export async function interleaved({ runs, budgetMs }, cases) {
  const states = cases.map((entry) => ({ ...entry, samples: [], spent: 0, error: undefined }));
  for (let round = 0; round < runs; round++) {
    for (let turn = 0; turn < states.length; turn++) {
      const state = states[(round + turn) % states.length];
      if (state.error || state.spent > budgetMs) continue;
      try {
        const sample = await state.runOnce(round);
        state.samples.push(sample);
        state.spent += Object.values(sample).reduce((sum, s) => sum + s.ms, 0);
      } catch (error) {
        if (!(error instanceof BenchFailure)) throw error;
        state.error = error;
      }
    }
  }
  return states.flatMap((state) =>
    state.error ? failureRecords(state.base, state.metrics, state.error) : summarize(state.samples, state.base),
  );
}
