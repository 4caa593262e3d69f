import type { MigrationStep, Plan } from '../graph/types.js';
import type { RevisionModule, Script } from '../script/types.js';

/** A chunk starts at a revision whose id hashes to 0 modulo this: ~512 revisions a chunk on average. */
const CHUNK_SPACING = 512;
/** Cut regardless past this, so an unlucky run of ids cannot make one huge module. */
const CHUNK_LIMIT = 1024;

/**
 * Imports the modules a plan runs in chunks, ahead of the steps, through the script
 * directory's batch import (one compiled batch per chunk instead of one module per revision).
 *
 * - Chunks, not one batch: V8 compiles one 10,000-module bundle with ~160 MB of parser
 *   memory that the process keeps; chunks of ~500 need a tenth, in the same time.
 * - Ahead of the steps: the first chunk is awaited, the rest load one after another in
 *   the background while steps run. On a cold cache oxc transpiles the next chunk on
 *   this thread, between steps (~20-40 µs a file: running it on the thread pool gained
 *   nothing measurable); files that need esbuild are bundled in its own process.
 * - Content-defined cuts (by a hash of the revision id, as in rsync): a chunk is the
 *   same set of revisions whatever range is run and in either direction, so its compiled
 *   module is reused by later upgrades, downgrades and longer ranges; a new revision
 *   only adds a chunk.
 * - A revision that fails to load fails its own step, as an import per step would: a
 *   chunk that fails to import is forgotten by the script directory, and each of its
 *   steps then imports its revision alone (loadModule).
 */
export class ModuleBatches<T extends Script> {
  /**
   * By position in the plan's steps (stamps have none): the promise of the step's chunk,
   * and the step's module once the chunk has loaded. Arrays rather than maps keyed by
   * revision: a 10,000-step run asks twice a step (~5 ms of maps here).
   */
  private readonly chunkOf: (Promise<unknown> | undefined)[];
  private readonly modules: (RevisionModule | undefined)[];
  private stopped = false;

  /**
   * `load` imports a chunk; when it resolves to the chunk's modules (in the order given),
   * the steps take them from loaded() without a promise each.
   */
  constructor(plan: Plan<T>, load: (scripts: readonly T[]) => Promise<readonly RevisionModule[] | void>) {
    const { steps } = plan;
    this.chunkOf = new Array(steps.length);
    this.modules = new Array(steps.length);
    const positions: number[] = [];
    for (let at = 0; at < steps.length; at++) if (steps[at]!.kind !== 'stamp') positions.push(at);
    if (positions.length < 2) return;
    const revisionAt = (at: number) => (steps[at] as MigrationStep<T>).revision;
    const downward = steps.some((step) => step.kind === 'downgrade');
    let previous: Promise<unknown> = Promise.resolve();
    for (const chunk of chunksOf(positions, (at) => revisionAt(at).id, downward)) {
      // One after another, so the first steps wait for the first chunk only. Failures
      // are left to the step's own loadModule (above), so they are never reported here.
      const loaded = previous
        .then(async () => {
          if (this.stopped) return;
          const ordered = byPath(chunk, revisionAt);
          const modules = await load(ordered.map(revisionAt));
          if (modules) for (let index = 0; index < ordered.length; index++) this.modules[ordered[index]!] = modules[index];
        })
        .catch(() => undefined);
      for (const at of chunk) this.chunkOf[at] = loaded;
      previous = loaded;
    }
  }

  /** No further chunks once the run is over (failed early): the one loading finishes. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once the chunk of the plan's step `at` has been imported, or has failed to. */
  async ready(at: number): Promise<void> {
    await this.chunkOf[at];
  }

  /**
   * The module of the plan's step `at` once its chunk has loaded, else undefined (not
   * loaded yet, or the chunk failed: the step then imports its revision alone). A
   * 10,000-step run asks 10,000 times: no promise to await for the ones already there.
   */
  loaded(at: number): RevisionModule | undefined {
    return this.modules[at];
  }
}

/**
 * Splits the plan's steps (positions, in plan order) where a revision starts a chunk in
 * upgrade order: going down, a chunk ends at such a revision, so both directions cut the
 * same sets.
 */
function chunksOf(positions: readonly number[], idAt: (at: number) => string, downward: boolean): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const at of positions) {
    const starts = startsChunk(idAt(at));
    if (!downward && starts && current.length > 0) {
      chunks.push(current);
      current = [];
    }
    current.push(at);
    if ((downward && starts) || current.length >= CHUNK_LIMIT) {
      chunks.push(current);
      current = [];
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** FNV-1a of the id: cheap and evenly spread over hex and hand-written ids alike. */
function startsChunk(id: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % CHUNK_SPACING === 0;
}

/** The batch's cache key follows its entries' order: path order makes it the same in both directions. */
function byPath<T extends Script>(chunk: readonly number[], revisionAt: (at: number) => T): number[] {
  return [...chunk].sort((a, b) => {
    const left = revisionAt(a).path;
    const right = revisionAt(b).path;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
