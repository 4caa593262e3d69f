/**
 * The scripts folder as the rest of alembic-ts sees it: the revisions read from
 * their headers, the graph built from them, and modules imported only on demand.
 */
import { existsSync } from 'node:fs';
import { RevisionMap } from '../graph/index.js';
import type { ResolvedConfig } from '../config/types.js';
import { MigrateError, ScriptError } from '../errors.js';
import { cacheDirFor } from '../cache-dir.js';
import { sha256 } from './loader/cache.js';
import { importFile, importFiles, readScriptText } from './loader/index.js';
import { scanScripts } from './scan.js';
import type { RevisionModule, Script, ScriptDirectory } from './types.js';

export async function loadScriptDirectory(config: ResolvedConfig): Promise<ScriptDirectory> {
  if (!existsSync(config.scriptLocation)) {
    throw new ScriptError(
      `Scripts folder ${config.scriptLocation} does not exist: run \`migrate init\`, or fix scriptLocation in ${config.configPath ?? 'the config'}.`,
      config.scriptLocation,
    );
  }
  const { scripts, texts } = scanScripts(config.versionLocations, config.recursiveVersionLocations, {
    cacheDir: cacheDirFor(config.scriptLocation),
  });
  return new FileScriptDirectory(config, scripts, new RevisionMap(scripts), texts);
}

class FileScriptDirectory implements ScriptDirectory {
  private readonly modules = new Map<string, Promise<RevisionModule>>();
  /**
   * Revisions of a batch import (under way or done), by path, with their place in it. A
   * revision's own promise is made only if loadModule asks for it: a run takes a chunk's
   * modules from loadModules, and 10,000 promises it never awaited cost ~10 ms.
   */
  private readonly batched = new Map<string, { readonly batch: Promise<Record<string, unknown>[]>; readonly index: number }>();
  /** Checksums read from files, for scripts that came without one (tests, the API). */
  private readonly checksums = new Map<string, string>();

  constructor(
    readonly config: ResolvedConfig,
    readonly scripts: readonly Script[],
    readonly map: RevisionMap<Script>,
    /** Texts the scan read, by path: the loader compiles these, and a text is dropped once its module has loaded. */
    private readonly texts: Map<string, string> = new Map(),
  ) {}

  loadModule(script: Script): Promise<RevisionModule> {
    let loaded = this.modules.get(script.path);
    if (!loaded) {
      const batched = this.batched.get(script.path);
      loaded = batched ? batched.batch.then((namespaces) => checkModule(script, namespaces[batched.index]!)) : this.importAlone(script);
      loaded = loaded.catch((error: unknown) => Promise.reject(loadFailure(script, error)));
      this.modules.set(script.path, loaded);
    }
    return loaded;
  }

  private importAlone(script: Script): Promise<RevisionModule> {
    // Without the scan's text (a warm header cache), the file read now must still be the one the graph knows.
    const text = this.texts.get(script.path);
    return importFile(script.path, text !== undefined ? { text } : { sha256: script.sha256 }).then((namespace) => {
      this.texts.delete(script.path);
      return checkModule(script, namespace);
    });
  }

  async loadModules(scripts: readonly Script[]): Promise<RevisionModule[]> {
    const missing = scripts.filter((script) => !this.modules.has(script.path) && !this.batched.has(script.path));
    if (missing.length > 1) {
      // No file is read here when the scan knew its hash (header cache): the batch's cache
      // key is made of hashes, and a compile (a cache miss) checks the texts against them.
      const files = missing.map((script) => ({ path: script.path, sha256: this.checksum(script), text: this.texts.get(script.path) }));
      // One broken file fails the whole batch: forget it, so that loadModule imports
      // each of these alone and an error names its own file at its own step.
      const batch = importFiles(files, { pick: REVISION_EXPORTS }).then(
        (namespaces) => {
          if (this.texts.size > 0) for (const script of missing) this.texts.delete(script.path);
          return namespaces;
        },
        (error: unknown) => {
          for (const script of missing) {
            this.batched.delete(script.path);
            this.modules.delete(script.path);
          }
          throw error;
        },
      );
      missing.forEach((script, index) => this.batched.set(script.path, { batch, index }));
      if (missing.length === scripts.length) {
        // The usual call: a whole chunk of the plan, none of it imported before. A failed
        // batch is reported as loadModule would report it for the first revision.
        const namespaces = await batch.catch((error: unknown) => Promise.reject(loadFailure(missing[0]!, error)));
        return missing.map((script, index) => checkModule(script, namespaces[index]!));
      }
    }
    return Promise.all(scripts.map((script) => this.loadModule(script)));
  }

  checksum(script: Script): string {
    if (script.sha256 !== undefined) return script.sha256;
    let sum = this.checksums.get(script.path);
    if (sum === undefined) {
      // A Script built without a scan (tests, the API): read it now.
      sum = sha256(readScriptText(script.path));
      this.checksums.set(script.path, sum);
    }
    return sum;
  }
}

/** What the runner calls, and all a batch takes from each file: the header constants were read from the text already. */
const REVISION_EXPORTS = ['upgrade', 'downgrade'] as const;

function checkModule(script: Script, namespace: Record<string, unknown>): RevisionModule {
  for (const name of REVISION_EXPORTS) {
    if (typeof namespace[name] !== 'function') {
      throw new ScriptError(
        `${script.path} does not export a ${name}() function: add \`export async function ${name}(op: Operations) { ... }\`.`,
        script.path,
      );
    }
  }
  return namespace as unknown as RevisionModule;
}

function loadFailure(script: Script, error: unknown): unknown {
  if (error instanceof MigrateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const line = error instanceof SyntaxError ? /:(\d+)\s*$/m.exec(error.stack ?? '')?.[1] : undefined;
  return new ScriptError(
    `${script.path}${line ? `:${line}` : ''}: failed to load revision ${script.id}: ${message}`,
    script.path,
    line ? Number(line) : undefined,
    { cause: error },
  );
}
