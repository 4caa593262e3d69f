/**
 * Starts the CLI (bin/migrate.js): dist/cli.cjs, the whole CLI in one CommonJS file,
 * run as a classic script with V8's code cache (src/code-cache.ts).
 *
 * Node 20 keeps no compiled code between runs for ES modules. Loaded as ~20 of them,
 * the CLI spent ~30 ms of every `upgrade` in Node's module loader and in parsing and
 * compiling its own code; from the code cache V8 reads the compiled functions back.
 *
 * The cache (`cli-<hash of the bundle's path>.v8`, in the installation's cache folder,
 * or $MIGRATE_CACHE_DIR) records which commands had run when it was made (its tag, a
 * bit per command name): a command it has not seen makes it again once the command is
 * done, so that it holds that command's functions too.
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
  const cachePath = join(cacheDirFor(root), `cli-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.v8`);
  const cached = readCodeCache(cachePath, read.stamps);
  const script = new Script(Module.wrap(read.text), { filename: bundle, cachedData: cached?.data });
  const module = { exports: {} as CliBundle };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const cli = module.exports;
  cli.setModuleImporter(importer);
  const command = commandBit(argv);
  const holds = cached === undefined || script.cachedDataRejected ? undefined : cached.tag;
  void cli.main(argv).then((code) => {
    if (holds === undefined || (holds & command) === 0) writeCodeCache(cachePath, read.stamps, (holds ?? 0) | command, script);
    cli.exitWhenFlushed(code);
  });
}

/** Options that take a value: the word after them is not the command. */
const VALUED = new Set(['-c', '--config', '-n', '--name', '-x']);

/** A bit for the command named in argv (its first word that is not an option or an option's value). */
function commandBit(argv: readonly string[]): number {
  let word = '';
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VALUED.has(arg)) i++;
    else if (!arg.startsWith('-')) {
      word = arg;
      break;
    }
  }
  // 30 bits: the tag is combined with JavaScript's 32-bit operators.
  return 2 ** (createHash('sha256').update(word).digest()[0]! % 30);
}
