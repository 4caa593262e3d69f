/**
 * Imports the user's TypeScript (config and revisions) without a loader hook:
 * each file is compiled once with esbuild into a content-addressed cache and the
 * cached .mjs is imported natively. A cache hit costs a hash and an import(), and
 * loads neither esbuild nor tsx. See docs/loader.md for the measurements. Source
 * maps are not enabled in Node: stack.ts reads them when a stack is printed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { changedWhileReading, unreadableScript } from '../../errors.js';
import { cacheDirFor } from '../../cache-dir.js';
import { readScript } from '../../code-cache.js';
import { entryKey, lookup, sha256, store, type CacheDependency } from './cache.js';
import { importModule } from '../../import-module.js';

const NATIVE = /\.(?:mjs|cjs|js)$/;

export interface LoadOptions {
  /** Text already read by the caller (saves a read): the module is compiled from it. */
  readonly text?: string;
  /** Without `text`: the sha256 the file's text must have (else a ScriptError, "changed while migrate was reading it"). */
  readonly sha256?: string;
  /** Where the cache lives; default node_modules/.cache/alembic-ts above the file. */
  readonly cacheDir?: string;
}

/** Imports a .ts/.mts/.cts/.js/.mjs file and returns its module namespace. */
export async function importFile(file: string, options: LoadOptions = {}): Promise<Record<string, unknown>> {
  if (NATIVE.test(file)) return await importModule<Record<string, unknown>>(pathToFileURL(file).href);
  const text = options.text ?? readFileSync(file, 'utf8');
  if (options.text === undefined && options.sha256 !== undefined && sha256(text) !== options.sha256) throw changedWhileReading(file);
  const cacheDir = options.cacheDir ?? cacheDirFor(dirname(file));
  const key = entryKey(file, text);
  const compile = async (fast: boolean) => {
    if (fast) {
      const { standaloneModule } = await import('./scoped.js');
      const standalone = await standaloneModule({ path: file, text });
      if (standalone) return store(cacheDir, key, standalone.code, standalone.map, []);
    }
    const { compileEntries } = await import('./compile.js');
    const compiled = await compileEntries([file], join(cacheDir, `${key}.mjs`), [text]);
    return store(cacheDir, key, compiled.code, compiled.map, compiled.dependencies);
  };
  const modulePath = lookup(cacheDir, key) ?? (await compile(true));
  try {
    return await importModule<Record<string, unknown>>(pathToFileURL(modulePath).href);
  } catch (error) {
    if (!isParseFailure(error, modulePath)) throw error;
    // As for a batch (below): syntax oxc let through; esbuild's output, under a new URL.
    return await importModule<Record<string, unknown>>(`${pathToFileURL(await compile(false)).href}?bundled`);
  }
}

/** One file of a batch: its text and its sha256 may be given when the caller has them. */
export interface BatchFile {
  readonly path: string;
  readonly text?: string;
  /**
   * sha256 hex of the file's text (the caller's checksum). Given without `text`, the file
   * is read only when the batch must be compiled, and must still have this hash then.
   */
  readonly sha256?: string;
}

export interface BatchOptions extends Omit<LoadOptions, 'text' | 'sha256'> {
  /**
   * Take only these exports of each file, as plain properties of one object per file
   * (missing ones undefined), instead of the module namespace: cheaper to load and call.
   */
  readonly pick?: readonly string[];
}

/**
 * Imports many files at once. TypeScript files are compiled together into one
 * cached module (one import instead of thousands), .js/.mjs files natively.
 */
export async function importFiles(files: readonly BatchFile[], options: BatchOptions = {}): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = new Array(files.length);
  const compiled: { index: number; path: string; text?: string; sha256: string }[] = [];
  await Promise.all(
    files.map(async (file, index) => {
      if (NATIVE.test(file.path)) {
        results[index] = await importFile(file.path);
      } else if (file.sha256 !== undefined) {
        // Read only if the batch must be compiled (compileBatch).
        compiled.push({ index, path: file.path, text: file.text, sha256: file.sha256 });
      } else {
        const text = file.text ?? readFileSync(file.path, 'utf8');
        compiled.push({ index, path: file.path, text, sha256: sha256(text) });
      }
    }),
  );
  if (compiled.length === 1) {
    const only = compiled[0]!;
    results[only.index] = await importFile(only.path, { ...options, text: only.text, sha256: only.sha256 });
  } else if (compiled.length > 1) {
    const cacheDir = options.cacheDir ?? cacheDirFor(dirname(compiled[0]!.path));
    const pick = options.pick;
    const key = entryKey(
      pick ? `<batch picking ${pick.join(',')}>` : '<batch>',
      compiled.map((entry) => `${entry.path}\0${entry.sha256}`).join('\n'),
    );
    const found = lookup(cacheDir, key);
    let modulePath = found ?? (await compileBatch(cacheDir, key, compiled, pick, 'scopes'));
    let modules: Record<string, unknown>[] | undefined;
    // A batch V8 refuses to parse (nothing of it ran) is rebuilt under the same key: with
    // async scopes (a revision awaits at its top level), then by esbuild (syntax oxc let
    // through that Node cannot parse, see scoped.ts); a module is imported under a new URL
    // (Node keeps the failure of the old one).
    for (const retry of [undefined, 'async-scopes', 'bundle'] as const) {
      try {
        if (retry) modulePath = await compileBatch(cacheDir, key, compiled, pick, retry);
        modules = await importBatch(modulePath, compiled.length, { pick, reused: found !== undefined && !retry, retry });
        break;
      } catch (error) {
        if (!pick || retry === 'bundle' || !isParseFailure(error, modulePath)) throw error;
      }
    }
    compiled.forEach((entry, position) => {
      results[entry.index] = modules![position]!;
    });
  }
  return results;
}

/** Loaded with the first batch script: commands that run none never load it. */
let batchScripts: typeof import('./batch-script.js') | undefined;

/**
 * Makes the V8 code caches of the batch scripts run so far that lack one, or lack the
 * picked exports `called` (batch-script.ts). Call it after the revisions' functions have
 * run: the caches then hold them too.
 */
export function saveCodeCaches(called: readonly string[]): void {
  batchScripts?.saveCodeCaches(called);
}

/**
 * One object per file of a compiled batch: a batch script (scoped.ts) is run with its
 * code cache (batch-script.ts); a bundle is imported, under a URL that says which retry
 * built it.
 */
async function importBatch(
  modulePath: string,
  count: number,
  { pick, reused, retry }: { pick: readonly string[] | undefined; reused: boolean; retry: string | undefined },
): Promise<Record<string, unknown>[]> {
  if (pick) {
    batchScripts ??= await import('./batch-script.js');
    const { bundledCountOf, runBatchScript } = batchScripts;
    const read = readScript(modulePath);
    const bundled = bundledCountOf(read.text);
    if (bundled !== undefined) {
      const companion = bundled > 0 ? modulePath.replace(/\.mjs$/, '.bundled.mjs') : undefined;
      return runBatchScript(modulePath, read, { reused, companion, pick });
    }
  }
  const imported = await importModule<Record<string, unknown>>(`${pathToFileURL(modulePath).href}${retry ? `?${retry}` : ''}`);
  if (pick) return imported.default as Record<string, unknown>[];
  return Array.from({ length: count }, (_, position) => imported[`m${position}`] as Record<string, unknown>);
}

/**
 * Compiles a batch into the cache and returns the module's path. With `pick` (and unless
 * `how` is 'bundle'), files are transpiled one by one into function scopes (scoped.ts),
 * and only those that need a bundler go through esbuild, into a companion module the
 * first imports.
 */
async function compileBatch(
  cacheDir: string,
  key: string,
  files: readonly { path: string; text?: string; sha256: string }[],
  pick: readonly string[] | undefined,
  how: 'scopes' | 'async-scopes' | 'bundle',
): Promise<string> {
  const entries = files.map(withText);
  const bundle = async (files: readonly { path: string; text: string }[], name: string) => {
    const { compileEntries } = await import('./compile.js');
    const paths = files.map((file) => file.path);
    return compileEntries(paths, join(cacheDir, `${name}.mjs`), files.map((file) => file.text), pick);
  };
  if (pick && how !== 'bundle') {
    const { scopedBatch } = await import('./scoped.js');
    const companion = `${key}.bundled`;
    const scoped = await scopedBatch(entries, pick, { asyncScopes: how === 'async-scopes' });
    if (scoped) {
      let dependencies: readonly CacheDependency[] = [];
      if (scoped.bundled.length > 0) {
        const rest = await bundle(scoped.bundled.map((index) => entries[index]!), companion);
        // Stored first: whoever sees the module also finds its companion. The companion's
        // local imports are the module's dependencies (in its deps file).
        store(cacheDir, companion, rest.code, rest.map, []);
        dependencies = rest.dependencies;
      }
      return store(cacheDir, key, scoped.code, scoped.map, dependencies);
    }
  }
  // The entries are in the key; their local imports go in the deps file.
  const whole = await bundle(entries, key);
  return store(cacheDir, key, whole.code, whole.map, whole.dependencies);
}

/**
 * The file with its text, which must be the text whose hash named the batch (given by
 * the caller, e.g. from the header cache): an entry is never stored under a key that
 * does not describe it.
 */
function withText(file: { path: string; text?: string; sha256: string }): { path: string; text: string; sha256: string } {
  if (file.text !== undefined) return { path: file.path, text: file.text, sha256: file.sha256 };
  const text = readScriptText(file.path);
  if (sha256(text) !== file.sha256) throw changedWhileReading(file.path);
  return { path: file.path, text, sha256: file.sha256 };
}

/** A script's text; an unreadable file is a one-line ScriptError naming it. */
export function readScriptText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadableScript(path, error);
  }
}

/**
 * V8 refused the batch before any of it ran: a batch script says so itself
 * (BatchParseFailure); for a module, it is a SyntaxError whose stack has no frame in the
 * module or its companion (one raised by their code, such as JSON.parse's, does). Both
 * names start with the key. A SyntaxError a script's code raised names its path.
 */
function isParseFailure(error: unknown, modulePath: string): boolean {
  if (error instanceof Error && error.name === 'BatchParseFailure') return true;
  if (!(error instanceof SyntaxError)) return false;
  // A script's frames name its path, a module's its URL.
  const keyPath = modulePath.replace(/\.mjs$/, '');
  const stack = String(error.stack);
  return !stack.includes(pathToFileURL(keyPath).href) && !stack.includes(keyPath);
}
