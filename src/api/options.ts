/** Where the project is and how to report progress: the first argument of every api function. */
export interface ProjectOptions {
  /** Path of the config file; default ./migrate.config.ts (or .js/.mjs) in cwd, or $MIGRATE_CONFIG. */
  config?: string;
  /** The entry of `targets` to use (-n/--name). */
  name?: string;
  /** -x key=value pairs, passed to a config function and to migrations as op.xArgs. */
  xArgs?: Record<string, string>;
  /** Folder to look for the config in; default process.cwd(). */
  cwd?: string;
  /** Progress lines (the CLI sends them to stderr, silent with -q). Default: discard. */
  log?: (line: string) => void;
}
