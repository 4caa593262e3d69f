/**
 * import() of what is not alembic-ts's own code: the user's config and revisions (file
 * URLs) and the packages loaded on demand (dotenv, ejs, esbuild, oxc-transform,
 * es-module-lexer).
 *
 * The CLI runs as a classic script with V8's code cache (src/cli/launch.ts), and in such
 * a script Node 20 runs no import() of its own; the launcher, an ES module, hands in one
 * that it runs. Elsewhere (the package's ES modules, vitest) this module's own import()
 * runs. Specifiers are package names and absolute URLs only, so where the import() is
 * written does not change what it finds.
 */
type Importer = (specifier: string) => Promise<unknown>;

let hostImport: Importer | undefined;

/** Called by the launcher, before anything is imported. */
export function setModuleImporter(importer: Importer): void {
  hostImport = importer;
}

export function importModule<T>(specifier: string): Promise<T> {
  return (hostImport ? hostImport(specifier) : import(specifier)) as Promise<T>;
}
