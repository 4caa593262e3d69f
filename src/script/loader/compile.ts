/**
 * TypeScript → one ESM file, with esbuild (imported only on a cache miss).
 *
 * Local files the entry imports are bundled in; packages stay external but are
 * resolved here, from the importing file, to absolute file URLs — so the output
 * works from the cache folder whatever the project's "type" is. `alembic-ts`
 * itself points at the running copy, so a config's `defineConfig` and the CLI
 * share one module instance.
 */
import { readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile, Plugin } from 'esbuild';
import { changedWhileReading, ScriptError } from '../../errors.js';
import { selfPackageEntry } from '../../package-root.js';
import { sha256, type CacheDependency } from './cache.js';
import { importModule } from '../../import-module.js';

export interface CompiledModule {
  readonly code: string;
  /** The source map, written beside the module (`<module>.map`): inline maps made big bundles slow to parse. */
  readonly map: string;
  /** Local files bundled besides the entries, with the hash of the text compiled. */
  readonly dependencies: readonly CacheDependency[];
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/** What a marker-free build leaves out: files that name their own location need the onLoad plugin. */
const LOCATION_MARKER = /import\.meta|__dirname|__filename/;

/**
 * Compiles one file, or several into one module that re-exports each as `m0`, `m1`, …
 * (or, with `pick`, default-exports an array of objects holding those exports of each).
 *
 * esbuild reads the files itself (in parallel, in Go): a JS onLoad callback per
 * file made a 10,000-revision batch ~2× slower. The plugin is used only for the
 * files that mention import.meta/__dirname/__filename (rewritten to their own
 * paths), which usually means none: entries are checked from `texts` (when the
 * caller has them), bundled helpers from the metafile, with a second build only
 * if a helper has a marker. Helpers are hashed after the build; one changed
 * while the build ran is recorded as never matching, so the entry is rebuilt.
 */
export async function compileEntries(
  entries: readonly string[],
  outfile: string,
  texts?: readonly string[],
  pick?: readonly string[],
): Promise<CompiledModule> {
  const { build } = await importModule<typeof import('esbuild')>('esbuild');
  const entrySet = new Set(entries);
  const single = entries.length === 1 && !pick;
  const stdinContents = pick ? pickingEntry(entries, pick) : entries
    .map((file, index) => `export * as m${index} from ${JSON.stringify(file)};`)
    .join('\n');
  const startedAt = Date.now();
  const marked = new Set(
    entries.filter((file, index) => LOCATION_MARKER.test(texts?.[index] ?? readFileSync(file, 'utf8'))),
  );
  const run = (withOwnLocationFor: ReadonlySet<string>) =>
    build({
      ...(single
        ? { entryPoints: [entries[0]!] }
        : { stdin: { contents: stdinContents, resolveDir: '/', sourcefile: BATCH_ENTRY, loader: 'js' as const } }),
      bundle: true,
      write: false,
      metafile: true,
      // Where the output will live, so the source map's paths lead back to the sources.
      outfile,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: [],
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      absWorkingDir: '/',
      // esbuild's own CommonJS interop calls `require` when a bundled file uses it.
      banner: { js: "import { createRequire as __migrateCreateRequire } from 'node:module'; const require = __migrateCreateRequire(import.meta.url);" },
      plugins: [externalPackages(), ...(withOwnLocationFor.size > 0 ? [ownLocations(withOwnLocationFor)] : [])],
    });
  try {
    let result = await run(marked);
    let helpers = bundledProjectFiles(result.metafile, entrySet);
    const markedHelpers = helpers.filter((helper) => LOCATION_MARKER.test(helper.text));
    if (markedHelpers.length > 0) {
      result = await run(new Set([...marked, ...markedHelpers.map((helper) => helper.path)]));
      helpers = bundledProjectFiles(result.metafile, entrySet);
    }
    const dependencies = helpers.map(({ path, text, changedAt }) => ({
      path,
      sha256: changedAt >= startedAt - CHANGED_DURING_BUILD_MARGIN_MS ? CHANGED_DURING_BUILD : sha256(text),
    }));
    // esbuild read the entries from disk: the module must be the texts the caller was
    // given (their hashes name the cache entry, and are the revisions' checksums).
    texts?.forEach((text, index) => {
      if (readEntry(entries[index]!) !== text) throw changedWhileReading(entries[index]!);
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))!.text;
    const mapText = result.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '';
    const map = single ? mapText : withEntryText(mapText, stdinContents);
    return { code, map, dependencies };
  } catch (error) {
    throw toScriptError(error);
  }
}

/**
 * The entry of a batch that needs only some exports of each file: a default export
 * listing, per file, a plain object with those exports. Plain properties, where a
 * namespace (`export * as`) gets one getter function per export, each compiled on
 * first use; and esbuild drops the exports nobody imports (the header constants).
 */
function pickingEntry(entries: readonly string[], pick: readonly string[]): string {
  // `ns.name` rather than `import { name }`: esbuild binds it to the export all the same,
  // and a missing one becomes undefined (a warning), where a named import fails the
  // whole batch; the caller then names the file that lacks it.
  const imports = entries.map((file, index) => `import * as n${index} from ${JSON.stringify(file)};`);
  const objects = entries.map((_, index) => `{ ${pick.map((name) => `${name}: n${index}.${name}`).join(', ')} }`);
  return `${imports.join('\n')}\nexport default [\n${objects.join(',\n')}\n];\n`;
}

/** An entry's text now; undefined if it cannot be read any more (then it changed too). */
function readEntry(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The name esbuild gives the generated entry of a batch (stdin); no such file exists. */
const BATCH_ENTRY = '<revisions>';

/**
 * The map of a batch with the generated entry's text in it: a map source with neither a
 * file nor a text makes tools that read maps (vitest's, for one) warn of a missing file.
 * The revisions keep no text in the map: their files are on disk.
 */
function withEntryText(mapText: string, entryText: string): string {
  if (mapText === '') return mapText;
  const map = JSON.parse(mapText) as { sources: string[]; sourcesContent?: (string | null)[] };
  const encoded = encodeURIComponent(BATCH_ENTRY);
  const at = map.sources.findIndex((source) => source.endsWith(encoded) || source.endsWith(BATCH_ENTRY));
  if (at === -1) return mapText;
  map.sourcesContent = map.sources.map((_, index) => (index === at ? entryText : null));
  return JSON.stringify(map);
}

/** A dependency hash that matches no text: the cached entry is rebuilt on next use. */
const CHANGED_DURING_BUILD = 'changed-during-build';
/** As the header cache's racy window: timestamps are coarser than the clock. */
const CHANGED_DURING_BUILD_MARGIN_MS = 2_000;

interface BundledFile {
  readonly path: string;
  readonly text: string;
  readonly changedAt: number;
}

/** The project's own files bundled besides the entries (the metafile names them relative to '/'). */
function bundledProjectFiles(metafile: Metafile, entries: ReadonlySet<string>): BundledFile[] {
  const files: BundledFile[] = [];
  for (const input of Object.keys(metafile.inputs)) {
    if (input === BATCH_ENTRY || input.includes('/node_modules/') || input.includes(':')) continue;
    const path = resolve('/', input);
    if (entries.has(path) || !SOURCE_FILE.test(path)) continue;
    const { mtimeMs } = statSync(path);
    // mtime, not ctime: an edit moves mtime, and a helper merely touched must not be rebuilt every run.
    files.push({ path, text: readFileSync(path, 'utf8'), changedAt: mtimeMs });
  }
  return files;
}

function externalPackages(): Plugin {
  return {
    name: 'migrate-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'migrate-resolving' || isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (args.path === 'alembic-ts' || args.path.startsWith('alembic-ts/')) {
          const self = selfPackageEntry();
          if (self) return { path: self, external: true };
        }
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'migrate-resolving',
        });
        if (found.errors.length > 0 || !found.path) return { path: args.path, external: true };
        // A path alias or a workspace package written in TypeScript: compile it in.
        if (!found.path.includes('/node_modules/') && /\.[cm]?tsx?$/.test(found.path)) return { path: found.path };
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

/** Loads the given files with import.meta.url, __dirname and __filename made their own (not the cache's). */
function ownLocations(files: ReadonlySet<string>): Plugin {
  const escaped = [...files].map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return {
    name: 'migrate-own-locations',
    setup(build) {
      // An exact-path filter: esbuild tests it in Go, so the other files never call back into JS.
      build.onLoad({ filter: new RegExp(`^(?:${escaped.join('|')})$`) }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        return { contents: withOwnLocation(text, args.path), loader: loaderFor(args.path), resolveDir: dirname(args.path) };
      });
    },
  };
}

/** import.meta.url / __dirname of a bundled file would name the cache; give back its own. */
function withOwnLocation(text: string, file: string): string {
  if (!text.includes('import.meta') && !text.includes('__dirname') && !text.includes('__filename')) return text;
  return text
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href))
    .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(file)))
    .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file))
    .replace(/(?<![.\w$])__dirname\b/g, JSON.stringify(dirname(file)))
    .replace(/(?<![.\w$])__filename\b/g, JSON.stringify(file));
}

function loaderFor(file: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  if (file.endsWith('.tsx')) return 'tsx';
  if (file.endsWith('.jsx')) return 'jsx';
  return /\.[cm]?ts$/.test(file) ? 'ts' : 'js';
}

interface EsbuildFailure {
  errors: { text: string; location?: { file: string; line: number; column: number } | null }[];
}

function toScriptError(error: unknown): unknown {
  const failure = error as Partial<EsbuildFailure>;
  const first = Array.isArray(failure.errors) ? failure.errors[0] : undefined;
  if (!first) return error;
  const location = first.location;
  if (!location) return new ScriptError(first.text);
  const file = resolve('/', location.file);
  return new ScriptError(`${file}:${location.line}:${location.column + 1}: ${first.text}`, file, location.line, {
    cause: error,
  });
}
