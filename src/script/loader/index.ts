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
import { cacheDirFor, entryKey, lookup, sha256, store } from './cache.js';

const NATIVE = /\.(?:mjs|cjs|js)$/;

export interface LoadOptions {
  /** Text already read by the caller (saves a read); must be the file's current text. */
  readonly text?: string;
  /** Where the cache lives; default node_modules/.cache/alembic-ts above the file. */
  readonly cacheDir?: string;
}

/** Imports a .ts/.mts/.cts/.js/.mjs file and returns its module namespace. */
export async function importFile(file: string, options: LoadOptions = {}): Promise<Record<string, unknown>> {
  if (NATIVE.test(file)) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const text = options.text ?? readFileSync(file, 'utf8');
  const cacheDir = options.cacheDir ?? cacheDirFor(dirname(file));
  const key = entryKey(file, text);
  let modulePath = lookup(cacheDir, key);
  if (!modulePath) {
    const { compileEntries } = await import('./compile.js');
    const compiled = await compileEntries([file], join(cacheDir, `${key}.mjs`), [text]);
    modulePath = store(cacheDir, key, compiled.code, compiled.map, compiled.dependencies);
  }
  return (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
}

/** One file of a batch: its text and its sha256 may be given when the caller has them. */
export interface BatchFile {
  readonly path: string;
  readonly text?: string;
  /** sha256 hex of `text` (the caller's checksum): saves hashing every file twice. */
  readonly sha256?: string;
}

export interface BatchOptions extends Omit<LoadOptions, 'text'> {
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
  const compiled: { index: number; path: string; text: string; sha256: string | undefined }[] = [];
  await Promise.all(
    files.map(async (file, index) => {
      if (NATIVE.test(file.path)) results[index] = await importFile(file.path);
      else compiled.push({ index, path: file.path, text: file.text ?? readFileSync(file.path, 'utf8'), sha256: file.sha256 });
    }),
  );
  if (compiled.length === 1) {
    const only = compiled[0]!;
    results[only.index] = await importFile(only.path, { ...options, text: only.text });
  } else if (compiled.length > 1) {
    const cacheDir = options.cacheDir ?? cacheDirFor(dirname(compiled[0]!.path));
    const pick = options.pick;
    const key = entryKey(
      pick ? `<batch picking ${pick.join(',')}>` : '<batch>',
      compiled.map((entry) => `${entry.path}\0${entry.sha256 ?? sha256(entry.text)}`).join('\n'),
    );
    let modulePath = lookup(cacheDir, key);
    if (!modulePath) {
      const { compileEntries } = await import('./compile.js');
      const bundle = await compileEntries(
        compiled.map((entry) => entry.path),
        join(cacheDir, `${key}.mjs`),
        compiled.map((entry) => entry.text),
        pick,
      );
      // The entries are in the key; their local imports go in the deps file.
      modulePath = store(cacheDir, key, bundle.code, bundle.map, bundle.dependencies);
    }
    const imported = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
    const modules = pick
      ? (imported.default as Record<string, unknown>[])
      : compiled.map((_, position) => imported[`m${position}`] as Record<string, unknown>);
    compiled.forEach((entry, position) => {
      results[entry.index] = modules[position]!;
    });
  }
  return results;
}
