import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, databaseFromKnexConfig } from '../../src/config/url.js';
import { ConfigError } from '../../src/errors.js';

describe('parseDatabaseUrl', () => {
  it('sqlite:///relative.db resolves against the base folder', () => {
    const db = parseDatabaseUrl('sqlite:///data/app.db', '/project');
    expect(db.dialect).toBe('sqlite');
    expect(db.knex).toEqual({ client: 'better-sqlite3', connection: { filename: '/project/data/app.db' }, useNullAsDefault: true });
    expect(db.displayUrl).toBe('sqlite:///data/app.db');
  });

  it('sqlite:////absolute.db keeps the absolute path', () => {
    expect(parseDatabaseUrl('sqlite:////var/db/app.db', '/project').knex.connection).toEqual({ filename: '/var/db/app.db' });
  });

  it('sqlite:// and sqlite:///:memory: are in memory', () => {
    expect(parseDatabaseUrl('sqlite://').knex.connection).toEqual({ filename: ':memory:' });
    expect(parseDatabaseUrl('sqlite:///:memory:').knex.connection).toEqual({ filename: ':memory:' });
  });

  it.each(['postgresql', 'postgres', 'postgresql+psycopg2', 'postgresql+asyncpg'])('%s:// is PostgreSQL through pg', (scheme) => {
    const db = parseDatabaseUrl(`${scheme}://app:s3cret@db.example.com:5433/shop`);
    expect(db.dialect).toBe('postgresql');
    expect(db.knex).toEqual({
      client: 'pg',
      connection: { host: 'db.example.com', port: 5433, user: 'app', password: 's3cret', database: 'shop' },
    });
    expect(db.displayUrl).toBe(`${scheme}://app:***@db.example.com:5433/shop`);
  });

  it.each(['mysql', 'mariadb', 'mysql+pymysql'])('%s:// is MySQL through mysql2', (scheme) => {
    const db = parseDatabaseUrl(`${scheme}://root@127.0.0.1/test`);
    expect(db.dialect).toBe('mysql');
    expect(db.knex).toEqual({ client: 'mysql2', connection: { host: '127.0.0.1', user: 'root', database: 'test' } });
    expect(db.displayUrl).toBe(`${scheme}://root@127.0.0.1/test`);
  });

  it('decodes escaped user, password and database names', () => {
    const db = parseDatabaseUrl('postgresql://app%40corp:p%40ss%2Fword@host/my%20db');
    expect(db.knex.connection).toMatchObject({ user: 'app@corp', password: 'p@ss/word', database: 'my db' });
    expect(db.displayUrl).not.toContain('p%40ss');
    expect(db.displayUrl).toBe('postgresql://app%40corp:***@host/my%20db');
  });

  it('passes query parameters as connection options, ssl sensibly', () => {
    expect(parseDatabaseUrl('postgresql://h/db?ssl=true').knex.connection).toMatchObject({ ssl: true });
    expect(parseDatabaseUrl('postgresql://h/db?sslmode=require').knex.connection).toMatchObject({ ssl: { rejectUnauthorized: false } });
    expect(parseDatabaseUrl('postgresql://h/db?sslmode=disable').knex.connection).toMatchObject({ ssl: false });
    expect(parseDatabaseUrl('postgresql://h/db?application_name=api').knex.connection).toMatchObject({ application_name: 'api' });
    expect(parseDatabaseUrl('mysql://h/db?ssl=1&connectTimeout=5000&charset=utf8mb4').knex.connection).toMatchObject({
      ssl: {},
      connectTimeout: 5000,
      charset: 'utf8mb4',
    });
  });

  it('refuses an unknown scheme, naming it, without the password', () => {
    expect(() => parseDatabaseUrl('oracle://u:pw@host/db')).toThrowError(ConfigError);
    expect(() => parseDatabaseUrl('oracle://u:pw@host/db')).toThrowError(/scheme 'oracle'.*oracle:\/\/u:\*\*\*@host\/db/);
    expect(() => parseDatabaseUrl('not a url')).toThrowError(/is not a URL/);
  });
});

describe('databaseFromKnexConfig', () => {
  it('takes the dialect from the client and masks the password for display', () => {
    const db = databaseFromKnexConfig({ client: 'pg', connection: { host: 'h', user: 'u', password: 'pw', database: 'd' } });
    expect(db.dialect).toBe('postgresql');
    expect(db.displayUrl).toBe('postgresql://u:***@h/d');
    expect(databaseFromKnexConfig({ client: 'mysql2', connection: 'mysql://u:pw@h/d' }).displayUrl).toBe('mysql://u:***@h/d');
    expect(databaseFromKnexConfig({ client: 'better-sqlite3', connection: { filename: 'x.db' } }).dialect).toBe('sqlite');
  });

  it('refuses a client it has no dialect for', () => {
    expect(() => databaseFromKnexConfig({ client: 'oracledb' })).toThrowError(/Unsupported knex client 'oracledb'/);
  });
});
