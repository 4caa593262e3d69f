// The compile-cache loader (src/script/loader/index.ts: importFile, importFiles) of a
// checkout, for the benches that call it directly rather than through the CLI.
//
// A tsc build had it at dist/script/loader/index.js. dist/ is now an esbuild bundle
// (scripts/build.mjs) whose chunks have hashed names and export what the other chunks
// need, so the loader is bundled on its own from that checkout's src/, the same way
// (ESM, packages external), into <checkout>/bench/work/loader-module/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A URL to import the loader of the checkout at `root` from. */
export async function loaderModuleUrl(root) {
  const tscOutput = join(root, 'dist', 'script', 'loader', 'index.js');
  if (existsSync(tscOutput)) return pathToFileURL(tscOutput).href;
  const outfile = join(root, 'bench', 'work', 'loader-module', 'index.js');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'src', 'script', 'loader', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return pathToFileURL(outfile).href;
}
