import type { Plan } from '../graph/types.js';
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
  private readonly chunkOf = new Map<T, Promise<unknown>>();
  /** The modules of the chunks that have loaded, for steps that need not wait (see loaded). */
  private readonly modules = new Map<T, RevisionModule>();
  private stopped = false;

  /**
   * `load` imports a chunk; when it resolves to the chunk's modules (in the order given),
   * the steps take them from loaded() without a promise each.
   */
  constructor(plan: Plan<T>, load: (scripts: readonly T[]) => Promise<readonly RevisionModule[] | void>) {
    const revisions: T[] = [];
    for (const step of plan.steps) if (step.kind !== 'stamp') revisions.push(step.revision);
    if (revisions.length < 2) return;
    const downward = plan.steps.some((step) => step.kind === 'downgrade');
    let previous: Promise<unknown> = Promise.resolve();
    for (const chunk of chunksOf(revisions, downward)) {
      // One after another, so the first steps wait for the first chunk only. Failures
      // are left to the step's own loadModule (above), so they are never reported here.
      const loaded = previous
        .then(async () => {
          if (this.stopped) return;
          const ordered = byPath(chunk);
          const modules = await load(ordered);
          if (modules) ordered.forEach((revision, index) => this.modules.set(revision, modules[index]!));
        })
        .catch(() => undefined);
      for (const revision of chunk) this.chunkOf.set(revision, loaded);
      previous = loaded;
    }
  }

  /** No further chunks once the run is over (failed early): the one loading finishes. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once the revision's chunk has been imported, or has failed to. */
  async ready(revision: T): Promise<void> {
    await this.chunkOf.get(revision);
  }

  /**
   * The revision's module once its chunk has loaded, else undefined (not loaded yet, or
   * the chunk failed: the step then imports its revision alone). A 10,000-step run asks
   * 10,000 times: no promise to await for the ones already there.
   */
  loaded(revision: T): RevisionModule | undefined {
    return this.modules.get(revision);
  }
}

/**
 * Splits revisions (in plan order) where a revision starts a chunk in upgrade order:
 * going down, a chunk ends at such a revision, so both directions cut the same sets.
 */
function chunksOf<T extends Script>(revisions: readonly T[], downward: boolean): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const revision of revisions) {
    const starts = startsChunk(revision.id);
    if (!downward && starts && current.length > 0) {
      chunks.push(current);
      current = [];
    }
    current.push(revision);
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
function byPath<T extends Script>(chunk: readonly T[]): T[] {
  return [...chunk].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
