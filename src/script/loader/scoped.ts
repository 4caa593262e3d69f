/**
 * The fast compile, for a batch of revisions and for lone files (a config): each file
 * is transpiled alone by oxc
 * (in-process, ~20-30 µs per revision file here, where esbuild's bundle of the same
 * batch costs ~150-200 µs per file) and becomes one function scope of a single script
 * (batch-script.ts), or, for a lone file, a module of its own.
 *
 * Only self-contained files fit, which is what revision files almost always are:
 * after type-stripping no import is left, every export is a plain declaration
 * (`export const|let|var|function|class`), and nothing names its own location or
 * loads code (import.meta, import(), require, __dirname, module.exports). Every other
 * file goes to the bundler (compile.ts): the caller bundles those into a companion module.
 * Decided per file from the transpiled code with es-module-lexer, a real lexer: a
 * string that merely looks like an export is never touched. A lone file stays a module
 * of its own and may also import `alembic-ts` and Node's built-in modules.
 *
 * oxc passes through some syntax Node 20 cannot parse (decorators, `accessor` fields,
 * duplicate named groups), which esbuild lowers or rejects. Decorators are sent to the
 * bundler here; for the rest, and for a top-level await in a plain scope, the loader
 * rebuilds a batch V8 refuses (index.ts). Checking every batch with a parse of its own
 * cost ~15 ms per 1,000 files.
 */

import { isBuiltin } from 'node:module';
import { availableParallelism } from 'node:os';
import { selfPackageEntry } from '../../package-root.js';
import { batchScriptHead } from './batch-script.js';
import { importOxc, scopesMapText, TRANSFORM_OPTIONS, type ScopeEntry, type Transform, type TransformSync } from './scopes-map.js';
import { importModule } from '../../import-module.js';

export interface ScopedSource {
  readonly path: string;
  readonly text: string;
  /** sha256 hex of `text`, when the caller has it: a batch's stack map (see scopes-map.ts) records it. */
  readonly sha256?: string;
}

/** One file as the body of a function: its code and the local name of each picked export. */
interface ScopedFile {
  readonly path: string;
  readonly sha256: string | undefined;
  /** May await at its top level in a form a plain scope would take for a call (see MAY_AWAIT_AT_TOP). */
  readonly mayAwait: boolean;
  readonly code: string;
  readonly locals: readonly (string | undefined)[];
}

export interface ScopedBatch {
  /**
   * A script, not a module (see batch-script.ts): one function expression that takes the
   * bundler's objects for the files listed in `bundled` and returns one object per file,
   * in order, as compile.ts's batches default-export them.
   */
  readonly code: string;
  /**
   * The lines each file's code spans, for stack traces (scopes-map.ts): the source map of
   * a file is made from its text when a stack is printed, not for every compile.
   */
  readonly map: string;
  /** Positions of the files the bundler must compile, in order: the loader passes their objects in. */
  readonly bundled: readonly number[];
}

/** What the fast path needs: loaded on a cache miss only, and never fatal (a platform without oxc's binary bundles everything). */
interface Tools {
  transformSync: TransformSync;
  transform: Transform;
  parse: typeof import('es-module-lexer').parse;
}

let tools: Promise<Tools | undefined> | undefined;

function loadTools(): Promise<Tools | undefined> {
  tools ??= (async () => {
    try {
      const [oxc, lexer] = await Promise.all([importOxc(), importModule<typeof import('es-module-lexer')>('es-module-lexer')]);
      if (!oxc) return undefined;
      await lexer.init();
      return { ...oxc, parse: lexer.parse };
    } catch {
      return undefined;
    }
  })();
  return tools;
}

/**
 * Files that use these are CommonJS, locate themselves or may hold a decorator (`@name`
 * after a space or bracket; a string such as 'a @b' only costs the fast path): the
 * bundler handles them (compile.ts).
 */
const NEEDS_BUNDLER = /\brequire\s*[(.]|\bmodule\.exports\b|\bexports\.[\w$]|\b__dirname\b|\b__filename\b|(?:^|[\s([{,;])@[\w$]/m;
/** An export the scope can hold: the `export` keyword in front of a declaration. */
const DECLARATION_EXPORT = /^export\s+(?:(?:const|let|var|class)\s|(?:async\s+)?function\b)/;
/** TypeScript that is a module of its own kind, or JSX: left to the bundler. */
const SCOPABLE_FILE = /\.m?ts$/;

/**
 * A batch is a script, where `await` outside an async function is a plain name: V8
 * refuses `await x` there (the loader then rebuilds with async scopes), but reads
 * `await (x)`, `await [x]`, `await \`x\``, `await /x/`, `await +x` as a call, an
 * index, a tagged template or arithmetic, which would fail only as it ran. A file with
 * any of these, anywhere (inside its async functions too: a comment or an inner await
 * only costs it a plain scope), gets an async scope of its own.
 */
const MAY_AWAIT_AT_TOP = /\bawait\s*[(\[`/+-]/;

/** Module-level name of the result list; a revision declaring the same name only shadows it in its own scope. */
const RESULTS = '__migrateRevisions';
const BUNDLED = '__migrateBundled';

/**
 * What keeps a file out of a block scope (see assemble): a `var`, which a block would
 * hoist into the batch's function, shared with the other files, and the batch's own
 * names, which a block would let the file shadow where its exports are collected. A
 * match anywhere, comments and strings included, only costs the file a function scope.
 */
const NEEDS_FUNCTION_SCOPE = /\bvar\b|__migrate/;

/**
 * The batch as one script, or undefined when the fast path is unavailable. `pick` names
 * the exports each file's object holds; the files listed in `bundled` are for the bundler,
 * whose objects the script takes as its argument (an array in that order).
 */
export async function scopedBatch(
  files: readonly ScopedSource[],
  pick: readonly string[],
  { asyncScopes = false } = {},
): Promise<ScopedBatch | undefined> {
  const loaded = await loadTools();
  if (!loaded) return undefined;
  const results = await transformAll(loaded, files);
  return assemble(
    files.map((file, index) => scopeFile(loaded, file, results[index], pick)),
    pick,
    asyncScopes,
  );
}

type OxcResult = ReturnType<TransformSync>;

/** Below this many files a batch is transformed on the main thread only: the pool's start is not worth it. */
const THREAD_POOL_MIN_FILES = 64;

/**
 * oxc's output for each file (undefined: not for the fast path, or oxc failed). The
 * last files go to libuv's thread pool while the main thread transforms the first ones:
 * oxc is most of a cold compile, and a second core halves it. The pool's share follows
 * the cores it can use besides the main thread (none on one core).
 */
async function transformAll(tools: Tools, files: readonly ScopedSource[]): Promise<(OxcResult | undefined)[]> {
  const results: (OxcResult | undefined)[] = new Array(files.length).fill(undefined);
  const scopable = files.flatMap((file, index) => (SCOPABLE_FILE.test(file.path) ? [index] : []));
  const poolThreads = Math.min(Number(process.env.UV_THREADPOOL_SIZE) || 4, availableParallelism() - 1);
  const offThread =
    scopable.length < THREAD_POOL_MIN_FILES || poolThreads <= 0 ? 0 : Math.floor((scopable.length * poolThreads) / (poolThreads + 1));
  const onThread = scopable.length - offThread;
  const pooled = scopable.slice(onThread).map((index) =>
    tools.transform(files[index]!.path, files[index]!.text, OXC_OPTIONS).then(
      (result) => {
        results[index] = result;
      },
      () => undefined,
    ),
  );
  for (let at = 0; at < onThread; at++) {
    const index = scopable[at]!;
    try {
      results[index] = tools.transformSync(files[index]!.path, files[index]!.text, OXC_OPTIONS);
    } catch {
      // Left undefined: the bundler takes the file.
    }
  }
  await Promise.all(pooled);
  return results;
}

/** No source map: a third of oxc's time per file, for stacks that are seldom printed. */
const OXC_OPTIONS = { ...TRANSFORM_OPTIONS, sourcemap: false };

/** oxc's output for a file the fast path can take (not yet checked for imports and exports). */
interface Transpiled {
  readonly code: string;
  readonly map: unknown;
  readonly imports: ReturnType<Tools['parse']>[0];
  readonly exports: ReturnType<Tools['parse']>[1];
}

function transpile(tools: Tools, file: ScopedSource, sourcemap: boolean): Transpiled | undefined {
  if (!SCOPABLE_FILE.test(file.path)) return undefined;
  try {
    return checked(tools, tools.transformSync(file.path, file.text, { ...TRANSFORM_OPTIONS, sourcemap }));
  } catch {
    return undefined;
  }
}

/** oxc's output if the fast path can take it, with its imports and exports. */
function checked(tools: Tools, result: OxcResult | undefined): Transpiled | undefined {
  // oxc reports syntax errors; the bundler reports them best (file, line and column).
  if (!result || result.errors.length > 0 || result.code.startsWith('#!') || NEEDS_BUNDLER.test(result.code)) return undefined;
  try {
    const [imports, exports] = tools.parse(result.code);
    // The files are on disk: the map need not carry their text.
    const map = result.map ? { ...result.map, sourcesContent: undefined } : undefined;
    return { code: result.code, map, imports, exports };
  } catch {
    return undefined;
  }
}

function scopeFile(tools: Tools, file: ScopedSource, result: OxcResult | undefined, pick: readonly string[]): ScopedFile | undefined {
  const transpiled = checked(tools, result);
  if (!transpiled || transpiled.imports.length > 0) return undefined;
  const exportStarts = new Set<number>();
  const localOf = new Map<string, string>();
  for (const entry of transpiled.exports) {
    if (entry.type !== 'direct' || entry.name === 'default' || entry.localName !== entry.name) return undefined;
    if (!DECLARATION_EXPORT.test(transpiled.code.slice(entry.exportStart, entry.exportStart + 24))) return undefined;
    exportStarts.add(entry.exportStart);
    localOf.set(entry.name, entry.localName);
  }
  // `export` becomes six spaces: columns stay where oxc's map says they are.
  let code = transpiled.code;
  for (const start of [...exportStarts].sort((a, b) => b - a)) code = `${code.slice(0, start)}      ${code.slice(start + 6)}`;
  return { path: file.path, sha256: file.sha256, mayAwait: MAY_AWAIT_AT_TOP.test(code), code, locals: pick.map((name) => localOf.get(name)) };
}

/**
 * One file as a module of its own, or undefined when only the bundler can compile it.
 * Its imports may name `alembic-ts` (pointed at the running copy, as compile.ts does) and
 * Node's built-ins, which resolve the same from the cache folder; anything else is left
 * to the bundler, which resolves it from the file's own folder.
 */
export async function standaloneModule(file: ScopedSource): Promise<{ code: string; map: string } | undefined> {
  const loaded = await loadTools();
  const transpiled = loaded && transpile(loaded, file, true);
  if (!transpiled) return undefined;
  const self = selfPackageEntry();
  let code = transpiled.code;
  // From the end, so earlier positions stay valid.
  for (const entry of [...transpiled.imports].reverse()) {
    if (entry.type !== 'static' || entry.phase !== null) return undefined;
    if (entry.specifier === 'alembic-ts' && self) code = `${code.slice(0, entry.start)}${self}${code.slice(entry.end)}`;
    else if (!isBuiltin(entry.specifier)) return undefined;
  }
  return { code, map: transpiled.map ? JSON.stringify(transpiled.map) : '' };
}

function assemble(
  scoped: readonly (ScopedFile | undefined)[],
  pick: readonly string[],
  asyncScopes: boolean,
): ScopedBatch {
  const bundled = scoped.flatMap((file, index) => (file === undefined ? [index] : []));
  const lines: string[] = [];
  const scopes: ScopeEntry[] = [];
  let line = 0;
  const push = (text: string) => {
    lines.push(text);
    line += countLines(text);
  };
  const anyAsync = asyncScopes || scoped.some((file) => file?.mayAwait);
  // Strict, as a module is; one line, so the files' lines are where the scopes say.
  push(`${batchScriptHead(anyAsync, BUNDLED, bundled.length)} const ${RESULTS} = [];`);
  let nextBundled = 0;
  scoped.forEach((file) => {
    if (file === undefined) {
      push(`${RESULTS}.push(${BUNDLED}[${nextBundled++}]);`);
      return;
    }
    const fields = pick.map((name, at) => `${JSON.stringify(name)}: ${file.locals[at] ?? 'undefined'}`);
    const start = line + 1;
    if (!NEEDS_FUNCTION_SCOPE.test(file.code)) {
      // A block: in strict code its let, const, class and function declarations are its
      // own, as a module's are, and it is no function of its own for V8 to compile, cache
      // and run: a 1,000-file batch loads ~40 % faster. Its awaits are the batch's (async
      // when any file may await).
      push('{');
      push(file.code.endsWith('\n') ? file.code.slice(0, -1) : file.code);
      scopes.push([start, line - 1, file.path, file.sha256 ?? null]);
      push(`${RESULTS}.push({ ${fields.join(', ')} });\n}`);
      return;
    }
    // Plain functions: an async scope and its await cost ~8 ms per 1,000 files on every
    // import. A revision that awaits at its top level makes V8 refuse the batch; the
    // loader then asks for async scopes (index.ts).
    push(asyncScopes || file.mayAwait ? `${RESULTS}.push(await (async () => {` : `${RESULTS}.push((() => {`);
    push(file.code.endsWith('\n') ? file.code.slice(0, -1) : file.code);
    scopes.push([start, line - 1, file.path, file.sha256 ?? null]);
    push(`return { ${fields.join(', ')} };\n})());`);
  });
  push(`return ${RESULTS};\n})`);
  return { code: lines.join('\n'), map: scopesMapText(scopes), bundled };
}

function countLines(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
