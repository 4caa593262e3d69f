/**
 * Starts the CLI (bin/migrate.js): dist/cli.cjs, the whole CLI in one CommonJS file,
 * run as a classic script with V8's code cache (src/code-cache.ts).
 *
 * Node 20 keeps no compiled code between runs for ES modules. Loaded as ~20 of them,
 * the CLI spent ~30 ms of every `upgrade` in Node's module loader and in parsing and
 * compiling its own code; from the code cache V8 reads the compiled functions back.
 *
 * There is one cache per command (`cli-<hash of the bundle's path>-<command>.v8`, in
 * the installation's cache folder, or $MIGRATE_CACHE_DIR), made when the command is
 * done, so that it holds the functions the command compiled: V8 reads a whole cache
 * back at once, and `history` would otherwise also read what `upgrade` compiled.
 *
 * This file is built on its own (scripts/build.mjs) and loads nothing of the CLI.
 */
import { createHash } from 'node:crypto';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { cacheDirFor } from '../cache-dir.js';
import { readCodeCache, readScript, writeCodeCache } from '../code-cache.js';
import { selfPackage } from '../package-root.js';

interface CliBundle {
  main(argv: readonly string[]): Promise<number>;
  exitWhenFlushed(code: number): void;
  setModuleImporter(importer: (specifier: string) => Promise<unknown>): void;
}

export function launch(argv: readonly string[], importer: (specifier: string) => Promise<unknown>): void {
  const { root } = selfPackage();
  const bundle = join(root, 'dist', 'cli.cjs');
  const read = readScript(bundle);
  const bundleHash = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  const cachePath = join(cacheDirFor(root), `cli-${bundleHash}-${commandOf(argv)}.v8`);
  const cached = readCodeCache(cachePath, read.stamps);
  const script = new Script(Module.wrap(read.text), { filename: bundle, cachedData: cached?.data });
  const module = { exports: {} as CliBundle };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const cli = module.exports;
  cli.setModuleImporter(importer);
  const remake = cached === undefined || script.cachedDataRejected;
  void cli.main(argv).then((code) => {
    if (remake) writeCodeCache(cachePath, read.stamps, 0, script);
    cli.exitWhenFlushed(code);
  });
}

/** Options that take a value: the word after them is not the command. */
const VALUED = new Set(['-c', '--config', '-n', '--name', '-x']);

/** The command argv names (its first word that is not an option or an option's value), as a file name's part. */
function commandOf(argv: readonly string[]): string {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUED.has(arg)) i++;
    else if (!arg.startsWith('-')) return /^[a-z][a-z_-]{0,23}$/.test(arg) ? arg : 'other';
  }
  return 'none';
}
