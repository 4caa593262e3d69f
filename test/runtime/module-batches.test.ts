import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/graph/types.js';
import type { Script } from '../../src/script/types.js';
import { ModuleBatches } from '../../src/runtime/module-batches.js';
import { upgrade } from '../../src/api/upgrade.js';
import { MigrationError } from '../../src/errors.js';
import { createProject } from '../api/project-fixture.js';
import { downgradeStep, linearUpgrade, script } from './fixtures.js';

/** A chain of `count` scripts with ids that look generated. */
function chain(count: number): Script[] {
  const scripts: Script[] = [];
  for (let i = 0; i < count; i++) {
    const id = (i * 2654435761 >>> 0).toString(16).padStart(8, '0') + String(i).padStart(4, '0');
    scripts.push(script(id, i === 0 ? [] : [scripts[i - 1]!.id]));
  }
  return scripts;
}

function downgradePlan(scripts: Script[]): Plan<Script> {
  return { steps: [...scripts].reverse().map((s) => downgradeStep(s, [])), finalHeads: [] };
}

async function chunksLoaded(plan: Plan<Script>): Promise<string[][]> {
  const chunks: string[][] = [];
  const batches = new ModuleBatches(plan, async (scripts) => void chunks.push(scripts.map((s) => s.id)));
  for (let at = 0; at < plan.steps.length; at++) await batches.ready(at);
  return chunks;
}

const asSets = (chunks: string[][]) => chunks.map((chunk) => [...chunk].sort().join(',')).sort();

describe('ModuleBatches', () => {
  const scripts = chain(3000);

  it('loads every revision of the plan once, in chunks no larger than 1024', async () => {
    const chunks = await chunksLoaded(linearUpgrade(scripts));
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1024);
    expect(chunks.flat().sort()).toEqual(scripts.map((s) => s.id).sort());
  });

  it('cuts the same chunks going up and going down, so both reuse one compiled module each', async () => {
    expect(asSets(await chunksLoaded(downgradePlan(scripts)))).toEqual(asSets(await chunksLoaded(linearUpgrade(scripts))));
  });

  it('a range starting part-way shares every chunk but its first with the whole run', async () => {
    const whole = new Set(asSets(await chunksLoaded(linearUpgrade(scripts))));
    const part = asSets(await chunksLoaded(linearUpgrade(scripts.slice(1234))));
    expect(part.filter((chunk) => !whole.has(chunk)).length).toBe(1);
  });

  it('each chunk lists its revisions in path order', async () => {
    for (const chunk of await chunksLoaded(downgradePlan(scripts))) {
      const paths = chunk.map((id) => `/virtual/${id}.ts`);
      expect(paths).toEqual([...paths].sort());
    }
  });

  it('hands out the modules of a loaded chunk without a promise, and none before or after a failed one', async () => {
    const plan = linearUpgrade(scripts.slice(0, 3));
    const moduleOf = (s: Script) => ({ upgrade: async () => s.id, downgrade: async () => s.id });
    const batches = new ModuleBatches(plan, async (chunk) => chunk.map(moduleOf));
    expect(batches.loaded(0)).toBeUndefined();
    await batches.ready(0);
    for (const [at, s] of scripts.slice(0, 3).entries()) expect(await batches.loaded(at)!.upgrade({} as never)).toBe(s.id);

    const failing = new ModuleBatches(plan, async () => {
      throw new Error('broken chunk');
    });
    await failing.ready(0);
    expect(failing.loaded(0)).toBeUndefined();
  });

  it('a step waits for its chunk, and a chunk that fails to load is left to the step', async () => {
    const events: string[] = [];
    const plan = linearUpgrade(scripts.slice(0, 3));
    const batches = new ModuleBatches(plan, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('loaded');
      throw new Error('broken chunk');
    });
    await batches.ready(0);
    events.push('ready');
    expect(events).toEqual(['loaded', 'ready']);
  });
});

describe('a revision that fails to import, in a batch', () => {
  it('fails its own step, naming its file, after the steps before it ran', async () => {
    const project = createProject([
      { id: 'a1', down: null, upgrade: "await op.execute('CREATE TABLE t1 (id INTEGER)');" },
      { id: 'a2', down: 'a1', upgrade: "await op.execute('CREATE TABLE t2 (id INTEGER)');" },
      { id: 'a3', down: 'a2', upgrade: 'const broken = (;' },
      { id: 'a4', down: 'a3' },
    ]);
    const database = join(mkdtempSync(join(tmpdir(), 'migrate-batches-')), 'app.db');
    process.env.DATABASE_URL = `sqlite:///${database}`;
    process.env.PER_MIGRATION = '1';
    try {
      const error = await upgrade({ cwd: project, target: 'head' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message).toMatch(/^upgrade of a3 \(.*a3_rev\.ts\) failed: .*a3_rev\.ts:\d+.*; the database is at a2$/);
    } finally {
      delete process.env.DATABASE_URL;
      delete process.env.PER_MIGRATION;
    }
  });
});
