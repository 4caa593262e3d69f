/**
 * Database URLs in SQLAlchemy's forms (so Alembic users can reuse theirs) → knex configs.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Knex } from 'knex';
import { ConfigError } from '../errors.js';
import { maskPasswords } from './mask.js';
import type { DatabaseConfig, DialectName } from './types.js';

const SCHEMES: Record<string, DialectName> = {
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

const KNEX_CLIENTS: Record<DialectName, string> = {
  sqlite: 'better-sqlite3',
  postgresql: 'pg',
  mysql: 'mysql2',
};

/**
 * `sqlite:///relative.db` (relative to `baseDir`, default cwd), `sqlite:////abs.db`,
 * `sqlite://` (memory), `postgresql://`, `postgres://`, `mysql://`, `mariadb://`;
 * a `+driver` suffix is ignored; query parameters become connection options.
 */
export function parseDatabaseUrl(url: string, baseDir: string = process.cwd()): DatabaseConfig {
  const match = /^([a-z][a-z0-9.-]*)(?:\+[a-z0-9_.-]*)?:\/\/(.*)$/is.exec(url.trim());
  if (!match) {
    throw new ConfigError(
      `Database URL '${maskPasswords(url)}' is not a URL: expected e.g. sqlite:///app.db or postgresql://user:password@host/db.`,
    );
  }
  const scheme = match[1]!.toLowerCase();
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new ConfigError(
      `Unsupported database URL scheme '${scheme}' in ${maskPasswords(url)}: use sqlite://, postgresql:// (postgres://) or mysql:// (mariadb://).`,
    );
  }
  const displayUrl = maskPasswords(url);
  if (dialect === 'sqlite') return sqliteFromPath(match[2]!, baseDir, displayUrl);

  let parsed: URL;
  try {
    // The scheme is swapped for one WHATWG parses with an authority.
    parsed = new URL(`http://${match[2]}`);
  } catch {
    throw new ConfigError(`Database URL '${displayUrl}' cannot be parsed: check the host, port and escaping of special characters.`);
  }
  const connection: Record<string, unknown> = {};
  if (parsed.hostname) connection.host = decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1');
  if (parsed.port) connection.port = Number(parsed.port);
  if (parsed.username) connection.user = decodeURIComponent(parsed.username);
  if (parsed.password) connection.password = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) connection.database = database;
  for (const [key, value] of parsed.searchParams) Object.assign(connection, queryOption(dialect, key, value));
  return { dialect, knex: { client: KNEX_CLIENTS[dialect], connection: connection as Knex.StaticConnectionConfig }, displayUrl };
}

function sqliteFromPath(rest: string, baseDir: string, displayUrl: string): DatabaseConfig {
  // What follows `sqlite://` is `/path`: `sqlite:///app.db` → 'app.db', `sqlite:////abs.db` → '/abs.db'.
  const withoutQuery = rest.split('?')[0]!;
  const path = decodeURIComponent(withoutQuery.replace(/^\//, ''));
  const filename = path === '' || path === ':memory:' ? ':memory:' : isAbsolute(path) ? path : resolve(baseDir, path);
  return {
    dialect: 'sqlite',
    knex: { client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true },
    displayUrl,
  };
}

/** `?ssl=true`, `?sslmode=require` and driver options (`?application_name=x`, `?charset=utf8mb4`). */
function queryOption(dialect: DialectName, key: string, value: string): Record<string, unknown> {
  if (key === 'ssl') {
    const on = /^(1|true|on|yes|require)$/i.test(value);
    return { ssl: on ? (dialect === 'mysql' ? {} : true) : false };
  }
  if (key === 'sslmode' && dialect === 'postgresql') {
    if (value === 'disable') return { ssl: false };
    // libpq's require/prefer encrypt without verifying the certificate; verify-* verify it.
    if (value === 'require' || value === 'prefer' || value === 'allow') return { ssl: { rejectUnauthorized: false } };
    return { ssl: true };
  }
  if (/^\d+$/.test(value)) return { [key]: Number(value) };
  if (value === 'true' || value === 'false') return { [key]: value === 'true' };
  return { [key]: value };
}

/** The `knex` key of a config: dialect from its client, a masked URL for display. */
export function databaseFromKnexConfig(config: Knex.Config): DatabaseConfig {
  const client = typeof config.client === 'string' ? config.client : '';
  const dialect = dialectOfClient(client);
  if (!dialect) {
    throw new ConfigError(
      `Unsupported knex client '${client || String(config.client)}' in the config's knex key: use better-sqlite3 (or sqlite3), pg or mysql2 (or mysql).`,
    );
  }
  return { dialect, knex: config, displayUrl: displayOfConnection(dialect, config.connection) };
}

function dialectOfClient(client: string): DialectName | undefined {
  if (['better-sqlite3', 'sqlite3', 'sqlite'].includes(client)) return 'sqlite';
  if (['pg', 'postgres', 'postgresql', 'pgnative'].includes(client)) return 'postgresql';
  if (['mysql', 'mysql2', 'mariadb'].includes(client)) return 'mysql';
  return undefined;
}

function displayOfConnection(dialect: DialectName, connection: unknown): string {
  if (typeof connection === 'string') return maskPasswords(connection);
  if (!connection || typeof connection !== 'object') return `${dialect}://`;
  const c = connection as Record<string, unknown>;
  if (dialect === 'sqlite') return `sqlite:///${String(c.filename ?? ':memory:')}`;
  if (typeof c.connectionString === 'string') return maskPasswords(c.connectionString);
  const user = c.user ? `${String(c.user)}${c.password ? ':***' : ''}@` : '';
  const port = c.port ? `:${String(c.port)}` : '';
  return `${dialect}://${user}${String(c.host ?? 'localhost')}${port}/${String(c.database ?? '')}`;
}
