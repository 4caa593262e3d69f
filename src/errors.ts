/**
 * Errors a user can cause. The CLI prints `FAILED: <message>` for these and exits 1;
 * anything else is a bug and keeps its stack trace.
 */
export class MigrateError extends Error {
  override name = 'MigrateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** migrate.config.ts missing, throwing, or holding values we cannot use. */
export class ConfigError extends MigrateError {
  override name = 'ConfigError';
}

/** A revision file we cannot read: syntax error, non-literal header field, bad id. */
export class ScriptError extends MigrateError {
  override name = 'ScriptError';
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A script file that could not be read: names it and the system's reason (one line). */
export function unreadableScript(path: string, error: unknown): ScriptError {
  return new ScriptError(`Cannot read ${path}: ${(error as Error).message}`, path, undefined, { cause: error });
}

/** A revision's text is not the one its checksum (or the graph) was taken from: edited meanwhile. */
export function changedWhileReading(path: string): ScriptError {
  return new ScriptError(`${path} changed while migrate was reading it: run the command again.`, path);
}

/** The revision graph is malformed: duplicate id, missing parent, cycle, duplicate label. */
export class GraphError extends MigrateError {
  override name = 'GraphError';
}

/** An identifier or target that does not resolve: unknown, ambiguous, out of range. */
export class ResolutionError extends MigrateError {
  override name = 'ResolutionError';
}

/** A command used in a way that cannot work (bad flags, several heads without --head). */
export class CommandError extends MigrateError {
  override name = 'CommandError';
}

/** Connecting to the database failed, or it refused something we asked. */
export class DatabaseError extends MigrateError {
  override name = 'DatabaseError';
}

/** Another runner held the migration lock past lockTimeout. */
export class LockTimeoutError extends MigrateError {
  override name = 'LockTimeoutError';
}

/** A revision's upgrade/downgrade threw; names the revision, its file and the cause. */
export class MigrationError extends MigrateError {
  override name = 'MigrationError';
  constructor(
    message: string,
    readonly revision: string,
    readonly file: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An op that cannot work in the current mode (offline reads, SQLite ALTER COLUMN outside batch). */
export class OperationError extends MigrateError {
  override name = 'OperationError';
}
