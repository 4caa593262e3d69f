/**
 * Stack traces of scoped batches (scoped.ts) without a source map per compile.
 *
 * oxc spent a third of its time per file on source maps, and the batch's index map
 * was written beside every compiled batch, for stacks printed only on a crash with
 * --raiseerr. A batch now records the lines each file's code spans, with the file's
 * sha256; when a stack is printed, the files it points into are transpiled again
 * with a map, which gives the same code (same oxc, same options) and so the same
 * positions. A file whose text changed since is left unmapped: its compiled place
 * is printed, never a wrong line.
 */
import { readFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { sha256 as sha256Of } from './cache.js';
import { importModule } from '../../import-module.js';

/** The options of every oxc transform of a revision or config: the stack mapping repeats them. */
export const TRANSFORM_OPTIONS = { target: 'node20' } as const;

/**
 * [first and last line of the file's code in the batch (0-based), the file, its sha256
 * when known]. A place outside every scope (the batch's own lines) is not mapped.
 */
export type ScopeEntry = [start: number, end: number, path: string, sha256: string | null];

/** What a scoped batch's `.map` file holds instead of a source map. */
interface ScopesMap {
  readonly alembicTsScopes: readonly ScopeEntry[];
  /** The oxc-transform that compiled the batch: another one may place code elsewhere. */
  readonly oxc: string | null;
}

export function scopesMapText(scopes: readonly ScopeEntry[]): string {
  return JSON.stringify({ alembicTsScopes: scopes, oxc: oxcVersion() } satisfies ScopesMap);
}

export function isScopesMap(parsed: unknown): parsed is ScopesMap {
  const scopes = (parsed as Partial<ScopesMap> | null)?.alembicTsScopes;
  return Array.isArray(scopes) && scopes.every((scope) => Array.isArray(scope) && scope.length === 4 && typeof scope[1] === 'number');
}

let version: string | null | undefined;

/** The installed oxc-transform's version; null if it cannot be read. */
export function oxcVersion(): string | null {
  if (version === undefined) {
    try {
      version = String((createRequire(import.meta.url)('oxc-transform/package.json') as { version: unknown }).version);
    } catch {
      version = null;
    }
  }
  return version;
}

/** A place in a source, 0-based. */
export interface SourcePlace {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

export type TransformSync = typeof import('oxc-transform').transformSync;
/** The same transform, run on libuv's thread pool. */
export type Transform = typeof import('oxc-transform').transform;

/** oxc's transforms; undefined where its binary cannot load (the bundler is used then). */
export async function importOxc(): Promise<{ transformSync: TransformSync; transform: Transform } | undefined> {
  try {
    const loaded = await importModule<typeof import('oxc-transform')>('oxc-transform');
    // Its CommonJS entry may come through as the default export only.
    const oxc = 'transformSync' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default;
    return { transformSync: oxc.transformSync, transform: oxc.transform };
  } catch {
    return undefined;
  }
}

/** Maps places in one scoped batch; each file's map is made once, on first use. */
export class ScopesMapper {
  private readonly fileMaps = new Map<string, Promise<SourceMap | undefined>>();
  private readonly scopes: readonly ScopeEntry[];

  constructor(map: ScopesMap) {
    // Another oxc may place the same code elsewhere: better the compiled place than a wrong line.
    this.scopes = map.oxc !== null && map.oxc === oxcVersion() ? map.alembicTsScopes : [];
  }

  async find(line: number, column: number): Promise<SourcePlace | undefined> {
    const scope = this.scopeAt(line);
    if (!scope || line > scope[1]) return undefined;
    const [start, , path, sha256] = scope;
    let map = this.fileMaps.get(path);
    if (!map) {
      map = fileSourceMap(path, sha256);
      this.fileMaps.set(path, map);
    }
    const entry = (await map)?.findEntry(line - start, column) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }> | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) return undefined;
    return { source: entry.originalSource, line: entry.originalLine, column: entry.originalColumn ?? 0 };
  }

  /** The last scope starting at or before `line` (scopes are in line order). */
  private scopeAt(line: number): ScopeEntry | undefined {
    let low = 0;
    let high = this.scopes.length - 1;
    let found: ScopeEntry | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const scope = this.scopes[middle]!;
      if (scope[0] <= line) {
        found = scope;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

async function fileSourceMap(path: string, sha256: string | null): Promise<SourceMap | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (sha256 !== null && sha256Of(text) !== sha256) return undefined;
  const oxc = await importOxc();
  if (!oxc) return undefined;
  try {
    const result = oxc.transformSync(path, text, { ...TRANSFORM_OPTIONS, sourcemap: true });
    return result.map ? new SourceMap(result.map as ConstructorParameters<typeof SourceMap>[0]) : undefined;
  } catch {
    return undefined;
  }
}
