/**
 * A scoped batch (scoped.ts) is a classic script, run with node:vm, rather than a
 * module imported by Node: V8 can then reuse its compiled code from one run to the
 * next (a code cache), which Node 20 offers for scripts only.
 *
 * Compiling a batch's top level (its 500-odd function scopes) was the largest item of a
 * warm run: ~100 ms of a 10,000-revision upgrade. With the code cache V8 reads them back
 * instead (163 → 68 ms for 21,000 revisions here). The cache is made the first time a
 * batch is reused, not when it is compiled: a cold run (a fresh deploy) pays nothing for
 * it (~2.3 ms per 1,000 revisions to make, ~0.4 MB), and a batch that is never run
 * again never gets one.
 *
 * It is made after the run (saveCodeCaches), not right after the compile: V8 compiles
 * each revision's upgrade() only when it is first called, and a cache made then holds
 * those functions too, so the next run skips compiling them (10,000 light steps, warm:
 * 417 → 368 ms here; the code cache grows from ~0.4 to ~0.8 MB per 1,000 revisions).
 *
 * It also records (the cache's tag, see src/code-cache.ts) which of the picked exports
 * (upgrade, downgrade) had been called when it was made. A run that calls another makes
 * it again, with both: a cache made by an upgrade would otherwise leave every later
 * downgrade compiling its functions anew (~9 ms per 1,000 revisions here).
 */
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { readCodeCache, writeCodeCache, type ReadScript } from '../../code-cache.js';
import { importModule } from '../../import-module.js';

/** Opens every batch script, with how many of its files are in the bundler's companion. */
const MARKER = /^\/\*alembic-ts batch script, (\d+) bundled\*\//;

/** The first line of a batch script: a function expression taking the bundler's objects. */
export function batchScriptHead(asyncScopes: boolean, parameter: string, bundled: number): string {
  return `/*alembic-ts batch script, ${bundled} bundled*/(${asyncScopes ? 'async ' : ''}function (${parameter}) { 'use strict';`;
}

/** How many of the batch's files the companion holds; undefined when `text` is not a batch script (a module). */
export function bundledCountOf(text: string): number | undefined {
  const match = MARKER.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** V8 refused the script's text: nothing of it ran (the loader then rebuilds the batch). */
export class BatchParseFailure extends Error {
  override name = 'BatchParseFailure';
  constructor(cause: SyntaxError) {
    super(cause.message, { cause });
  }
}

/**
 * Runs a batch script and returns its objects. `reused`: the script was found in the
 * cache rather than compiled by this process, so a missing or stale code cache is made.
 * `companion`: the bundler's share (`<key>.bundled.mjs`), when the batch has one.
 */
export async function runBatchScript(
  modulePath: string,
  read: ReadScript,
  { reused, companion, pick }: { reused: boolean; companion: string | undefined; pick: readonly string[] },
): Promise<Record<string, unknown>[]> {
  const cachePath = `${modulePath}.v8`;
  const cached = reused ? readCodeCache(cachePath, read.stamps) : undefined;
  let script: Script;
  try {
    // A URL, as a module's frames have: stack.ts finds it even in a path with spaces.
    script = new Script(read.text, { filename: pathToFileURL(modulePath).href, cachedData: cached?.data });
  } catch (error) {
    if (error instanceof SyntaxError) throw new BatchParseFailure(error);
    throw error;
  }
  if (reused) {
    const accepted = cached !== undefined && !script.cachedDataRejected;
    codeCaches.set(cachePath, { stamps: read.stamps, script, pick, holds: accepted ? cached.tag : undefined });
  }
  const bundled = companion ? (await importModule<{ default: unknown[] }>(pathToFileURL(companion).href)).default : [];
  const run = script.runInThisContext() as (bundled: unknown[]) => Record<string, unknown>[] | Promise<Record<string, unknown>[]>;
  return await run(bundled);
}

/**
 * Reused batches run since the last saveCodeCaches, by cache path, with the exports their
 * accepted code cache holds (a bit per entry of `pick`); undefined without one.
 */
const codeCaches = new Map<
  string,
  { readonly stamps: Float64Array; readonly script: Script; readonly pick: readonly string[]; readonly holds: number | undefined }
>();

/**
 * Makes the code cache of every reused batch run since the last call whose cache is
 * missing, refused by V8, or lacks one of the exports `called`. Called once the steps
 * have run, so that the functions they called are in it.
 */
export function saveCodeCaches(called: readonly string[]): void {
  for (const [path, { stamps, script, pick, holds }] of codeCaches) {
    const needed = pick.reduce((bits, name, bit) => (called.includes(name) ? bits | (1 << bit) : bits), 0);
    if (holds === undefined || (holds & needed) !== needed) writeCodeCache(path, stamps, (holds ?? 0) | needed, script);
  }
  codeCaches.clear();
}
