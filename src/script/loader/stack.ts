/**
 * Stack traces of compiled revisions and configs, pointed back at the TypeScript.
 *
 * Node's own source-map support (process.setSourceMapsEnabled) reads and parses the
 * map of every module as it loads: at 10,000 revisions that was ~180 ms and ~30 MB
 * on every run, for stacks that are printed only on a crash with --raiseerr. So the
 * maps stay on disk beside the cached modules (`<module>.mjs.map`) and are read
 * here, when a stack is about to be shown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourcePlace } from './scopes-map.js';

/**
 * `file:///…/x.mjs:12:5` or `/…/x.js:12:5`, inside a frame or alone on a line: compiled
 * revisions and configs (.mjs), and alembic-ts's own bundles (dist/*.js, dist/cli.cjs);
 * a file with no `.map` beside it is left as it is.
 */
const FRAME_PLACE = /((?:file:\/\/)?\/[^\s():]+\.[mc]?js):(\d+):(\d+)/g;

/** Maps a 0-based place of a compiled module to its source. */
interface PlaceMapper {
  find(line: number, column: number): Promise<SourcePlace | undefined> | SourcePlace | undefined;
}

/** The stack with every place in a compiled module replaced by its place in the source. */
export async function sourceMappedStack(stack: string): Promise<string> {
  const mappers = new Map<string, Promise<PlaceMapper | null>>();
  const replacements = await Promise.all(
    [...stack.matchAll(FRAME_PLACE)].map(async ([place, file, line, column]) => {
      const path = file!.startsWith('file:') ? fileURLToPath(file!) : file!;
      let mapper = mappers.get(path);
      if (mapper === undefined) {
        mapper = readMapper(path);
        mappers.set(path, mapper);
      }
      const found = await (await mapper)?.find(Number(line) - 1, Number(column) - 1);
      if (!found) return place;
      const source = found.source.startsWith('file:') ? fileURLToPath(found.source) : resolve(dirname(path), found.source);
      return `${source}:${found.line + 1}:${found.column + 1}`;
    }),
  );
  let next = 0;
  return stack.replace(FRAME_PLACE, () => replacements[next++]!);
}

/** The module's `.map`: a source map, or the scopes of a scoped batch (scopes-map.ts). */
async function readMapper(modulePath: string): Promise<PlaceMapper | null> {
  const mapPath = `${modulePath}.map`;
  if (!existsSync(mapPath)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(mapPath, 'utf8'));
    // Loaded here: `migrate --version` imports this file, and needs none of it.
    const { isScopesMap, ScopesMapper } = await import('./scopes-map.js');
    if (isScopesMap(parsed)) return new ScopesMapper(parsed);
    const map = new SourceMap(parsed as ConstructorParameters<typeof SourceMap>[0]);
    return {
      find(line, column) {
        const entry = map.findEntry(line, column) as Partial<MappedEntry> | undefined;
        if (!entry?.originalSource || entry.originalLine === undefined) return undefined;
        return { source: entry.originalSource, line: entry.originalLine, column: entry.originalColumn ?? 0 };
      },
    };
  } catch {
    // A broken map only costs the mapping: the compiled place is still printed.
    return null;
  }
}

interface MappedEntry {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
}

/** The error's stack and those of its causes (a failed migration wraps the revision's own error), source-mapped. */
export async function stackWithCauses(error: Error): Promise<string> {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    parts.push(await sourceMappedStack(current.stack ?? `${current.name}: ${current.message}`));
  }
  return parts.join('\nCaused by: ');
}
