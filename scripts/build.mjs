// npm run build: dist/ for the package (docs/loader.md, "Start-up"; docs/dependencies.md).
//
// - tsc type-checks and writes the .d.ts files ("types": "./dist/index.d.ts");
// - esbuild bundles src/ three times:
//   - dist/index.js, the package's "exports" (the programmatic API): ESM, with code
//     splitting, one chunk per lazy `await import(...)` plus chunks of the code they
//     share (dist/chunks/);
//   - dist/cli.cjs, the CLI: the same sources as one CommonJS file, which
//     dist/cli/launch.js (bin/migrate.js's import, built on its own) runs as a classic
//     script with V8's code cache (src/cli/launch.ts). It may contain no import() but the
//     one of src/import-module.ts (checked below): a script run from a code cache cannot
//     run its own;
//   - dist/vendor/knex.cjs: knex with the packages it requires at run time (lodash alone
//     is 255 files), one CommonJS file that src/runtime/knex.ts loads on first use,
//     synchronously, as a script with V8's code cache. knex stays a dependency for its
//     types (op.knex) and for users' own imports.
//   Packages stay external (drivers, esbuild, oxc, ejs, dotenv): loaded on demand, in the
//   versions a user's install decides. commander is bundled in (so it is a
//   devDependency): every command loads it, and as a package it is 8 CommonJS files.
//
// All write into a staging folder that replaces dist/ at the end: no stale file of an
// older layout survives, a build that fails leaves the previous dist/ as it was, and a
// CLI started meanwhile (tests of a shared work tree) finds a whole dist/, old or new.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const staging = join(root, `.dist-build-${process.pid}`);
/** Packages compiled into dist/ rather than imported from node_modules at run time. */
const KNEX_PACKAGES = ['knex', 'lodash', 'tarn', 'debug', 'ms', 'colorette', 'pg-connection-string', 'get-package-type'];
const BUNDLED_PACKAGES = ['commander', ...KNEX_PACKAGES];

rmSync(staging, { recursive: true, force: true });
try {
  declarations();
  const metafiles = [await bundle(), await bundleCli(), await bundleLauncher(), await bundleKnex()];
  checkBundledPackages(metafiles);
  replace(dist, staging);
} finally {
  rmSync(staging, { recursive: true, force: true });
}

function declarations() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', staging];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

async function bundle() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: 'src/index.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [lazyChildProcessForCommander(), externalPackagesExcept(BUNDLED_PACKAGES)],
    // A CommonJS file bundled into ESM (commander's) calls esbuild's `__require`
    // shim for Node built-ins, which needs a `require` in scope: give each chunk one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // Not minified: a --raiseerr stack names our functions. The maps (`x.js.map`
    // beside each file) lead back to src/; Node reads them only under
    // --enable-source-maps, so start-up does not pay for them.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  const files = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const kb = files.reduce((sum, [, output]) => sum + output.bytes, 0) / 1024;
  console.log(`dist/: ${files.length} ES modules, ${kb.toFixed(0)} kB`);
  return result.metafile;
}

/** dist/cli.cjs (see the top of this file), with a source map beside it as the ES modules have. */
async function bundleCli() {
  const outfile = join(staging, 'cli.cjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/bundle.ts'],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [lazyChildProcessForCommander(), externalPackagesExcept(['commander'])],
    // The sources' import.meta.url (package-root.ts, createRequire calls) is this file's.
    define: { 'import.meta.url': '__cliBundleUrl' },
    banner: { js: "var __cliBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  const text = readFileSync(outfile, 'utf8');
  const imports = text.match(/(?<![\w$.])import\(/g) ?? [];
  if (imports.length !== 1) throw new Error(`build: dist/cli.cjs has ${imports.length} import() calls; only src/import-module.ts's may remain`);
  console.log(`dist/cli.cjs: ${(text.length / 1024).toFixed(0)} kB`);
  return result.metafile;
}

/** dist/cli/launch.js: bin/migrate.js's import, one small ES module of its own. */
async function bundleLauncher() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/launch.ts'],
    outfile: join(staging, 'cli', 'launch.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackagesExcept([])],
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/**
 * dist/vendor/knex.cjs: knex and what it requires, as one CommonJS file (see the top of
 * this file). Its drivers stay requires, resolved from dist/vendor when a client needs one.
 */
async function bundleKnex() {
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: "module.exports = require('knex');", resolveDir: root, sourcefile: 'vendor-knex.cjs', loader: 'js' },
    outfile: join(staging, 'vendor', 'knex.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackagesExcept(KNEX_PACKAGES)],
    metafile: true,
    logLevel: 'warning',
  });
  const kb = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0) / 1024;
  console.log(`dist/vendor/knex.cjs: ${kb.toFixed(0)} kB`);
  return result.metafile;
}

/** Bare imports stay imports, except of the packages named (and of their own files). */
function externalPackagesExcept(bundled) {
  return {
    name: 'external-packages-except',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || bundled.includes(packageName(args.path))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * commander requires node:child_process when it loads, for executable subcommands, which
 * migrate has none of; child_process brings net, dgram and streams with it (~2–3 ms of CPU in a
 * `migrate --version` whose output goes to a file). Its copy gets an object that requires
 * the module on first use instead.
 */
function lazyChildProcessForCommander() {
  return {
    name: 'lazy-child-process-for-commander',
    setup(build) {
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
        loader: 'js',
        contents: [
          'let loaded;',
          "const load = () => (loaded ??= require('node:child_process'));",
          'module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });',
        ].join('\n'),
      }));
    },
  };
}

function packageName(specifier) {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** Only the packages meant to be bundled are; their licences go along (dist/licenses/). */
function checkBundledPackages(metafiles) {
  const folders = new Map();
  for (const input of metafiles.flatMap((metafile) => Object.keys(metafile.inputs))) {
    const match = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) folders.set(match[1], join(root, match[0]));
  }
  const unexpected = [...folders.keys()].filter((name) => !BUNDLED_PACKAGES.includes(name));
  if (unexpected.length > 0) throw new Error(`build: bundled by mistake: ${unexpected.join(', ')}`);
  mkdirSync(join(staging, 'licenses'), { recursive: true });
  for (const [name, folder] of folders) {
    const licence = readdirSync(folder).find((file) => /^licen[cs]e(?:\.\w+)?$/i.test(file));
    if (!licence) throw new Error(`build: ${name} has no licence file to ship with it`);
    copyFileSync(join(folder, licence), join(staging, 'licenses', `${name.replace('/', '__')}.LICENSE`));
  }
}

/** dist/ ← staging, by two renames (another build may swap its own in between: retry). */
function replace(target, source) {
  const old = `${source}-old`;
  for (let attempt = 1; ; attempt++) {
    rmSync(old, { recursive: true, force: true });
    try {
      renameSync(target, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(source, target);
      break;
    } catch (error) {
      if (attempt === 5 || !['ENOTEMPTY', 'EEXIST'].includes(error.code)) throw error;
    }
  }
  rmSync(old, { recursive: true, force: true });
}
