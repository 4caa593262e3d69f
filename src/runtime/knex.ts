/**
 * knex, loaded when first needed, synchronously, from its own bundle.
 *
 * The build puts knex and the packages it requires into one CommonJS file,
 * dist/vendor/knex.cjs (scripts/build.mjs), rather than into the ES modules of dist/:
 *
 * - it can be loaded synchronously (a session creates its knex instance on first use,
 *   and `op.knex` is a plain property), and only by the runs that use it;
 * - it runs as a classic script with V8's code cache (src/code-cache.ts): parsing and
 *   compiling its ~850 kB was most of its ~37 ms load here; with the cache it takes ~20.
 *
 * The cache (`knex-<hash of the bundle's path>.v8`) lives in the cache folder of the installation
 * (node_modules/.cache/alembic-ts, or $MIGRATE_CACHE_DIR) and is made when the process
 * exits, so that it holds every knex function the command compiled. Without a build
 * (vitest runs the sources), knex is required from node_modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { runCommonJs } from '../code-cache.js';
import { selfPackage } from '../package-root.js';

export type KnexFactory = (config: Knex.Config) => Knex;

let loaded: KnexFactory | undefined;

export function loadKnex(): KnexFactory {
  loaded ??= loadBundle() ?? (createRequire(import.meta.url)('knex') as KnexFactory);
  return loaded;
}

function loadBundle(): KnexFactory | undefined {
  const bundle = join(selfPackage().root, 'dist', 'vendor', 'knex.cjs');
  if (!existsSync(bundle)) return undefined;
  const script = runCommonJs<KnexFactory>(bundle, 'knex');
  process.once('exit', () => script.saveCodeCache());
  return script.exports;
}
