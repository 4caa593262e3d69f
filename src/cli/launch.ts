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
import { join } from 'node:path';
import { runCommonJs } from '../code-cache.js';
import { selfPackage } from '../package-root.js';

interface CliBundle {
  main(argv: readonly string[]): Promise<number>;
  exitWhenFlushed(code: number): void;
  setModuleImporter(importer: (specifier: string) => Promise<unknown>): void;
}

export function launch(argv: readonly string[], importer: (specifier: string) => Promise<unknown>): void {
  // `migrate --version` needs package.json only: answered without reading the CLI's
  // 400 kB bundle and its code cache (~30-40 ms of a ~100 ms run on a slow machine).
  if (argv.length === 3 && argv[2] === '--version') {
    process.stdout.write(`${selfPackage().version}\n`);
    return;
  }
  const bundle = runCommonJs<CliBundle>(join(selfPackage().root, 'dist', 'cli.cjs'), 'cli', commandOf(argv));
  const cli = bundle.exports;
  cli.setModuleImporter(importer);
  void cli.main(argv).then((code) => {
    bundle.saveCodeCache();
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
