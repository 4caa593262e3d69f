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

/**
 * `file:///…/x.mjs:12:5` or `/…/x.js:12:5`, inside a frame or alone on a line: compiled
 * revisions and configs (.mjs), and alembic-ts's own bundle (dist/*.js); a file with no
 * `.map` beside it is left as it is.
 */
const FRAME_PLACE = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

/** The stack with every place in a compiled module replaced by its place in the source. */
export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | null>();
  return stack.replace(FRAME_PLACE, (place: string, file: string, line: string, column: string) => {
    const path = file.startsWith('file:') ? fileURLToPath(file) : file;
    let map = maps.get(path);
    if (map === undefined) {
      map = readSourceMap(path);
      maps.set(path, map);
    }
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1) as Partial<MappedEntry> | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) return place;
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(path), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

interface MappedEntry {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
}

function readSourceMap(modulePath: string): SourceMap | null {
  const mapPath = `${modulePath}.map`;
  if (!existsSync(mapPath)) return null;
  try {
    return new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')));
  } catch {
    // A broken map only costs the mapping: the compiled place is still printed.
    return null;
  }
}

/** The error's stack and those of its causes (a failed migration wraps the revision's own error), source-mapped. */
export function stackWithCauses(error: Error): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    parts.push(sourceMappedStack(current.stack ?? `${current.name}: ${current.message}`));
  }
  return parts.join('\nCaused by: ');
}
