import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/index.js';
import { DatabaseError } from '../../src/errors.js';
import { openSession } from '../../src/runtime/session.js';
import { serverProblem } from '../support/databases.js';

/** The one-line DatabaseError that connecting to `url` fails with. */
async function connectError(url: string): Promise<Error> {
  const session = await openSession(parseDatabaseUrl(url)).catch((error: unknown) => error as Error);
  if (!(session instanceof Error)) {
    await session.close();
    throw new Error(`connecting to ${url} unexpectedly worked`);
  }
  return session;
}

function expectOneLine(error: Error, pattern: RegExp): void {
  expect(error).toBeInstanceOf(DatabaseError);
  expect(error.message).toMatch(pattern);
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toContain('s3cret');
}

describe('connection errors', () => {
  it('PostgreSQL: unreachable host', async () => {
    const error = await connectError('postgresql://app:s3cret@127.0.0.1:1/test');
    expectOneLine(error, /^Cannot reach the PostgreSQL server of postgresql:\/\/app:\*\*\*@127\.0\.0\.1:1\/test \(ECONNREFUSED\): check the host and port/);
  });

  it('MySQL: unreachable host', async () => {
    const error = await connectError('mysql://root:s3cret@127.0.0.1:1/test');
    expectOneLine(error, /^Cannot reach the MySQL server of mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/test \(ECONNREFUSED\)/);
  });

  it('PostgreSQL: unknown user (the server trusts every password here, so a wrong role stands in)', async (ctx) => {
    if (await serverProblem('postgresql')) return ctx.skip();
    const error = await connectError('postgresql://nobody_here:s3cret@127.0.0.1:5432/test');
    expectOneLine(error, /^PostgreSQL refused the connection to postgresql:\/\/nobody_here:\*\*\*@127\.0\.0\.1:5432\/test \(.*role "nobody_here" does not exist\): check the user/);
  });

  it('MySQL: wrong password', async (ctx) => {
    if (await serverProblem('mysql')) return ctx.skip();
    const error = await connectError('mysql://root:s3cret@127.0.0.1:3306/test');
    expectOneLine(error, /^MySQL refused mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306\/test \(Access denied for user 'root'@.*\): check the user and password/);
  });

  it('PostgreSQL: missing database', async (ctx) => {
    if (await serverProblem('postgresql')) return ctx.skip();
    const error = await connectError('postgresql://postgres:s3cret@127.0.0.1:5432/no_such_db_here');
    expectOneLine(error, /^PostgreSQL says database "no_such_db_here" does not exist \(.*\): create it first/);
  });

  it('MySQL: missing database', async (ctx) => {
    if (await serverProblem('mysql')) return ctx.skip();
    const error = await connectError('mysql://root@127.0.0.1:3306/no_such_db_here');
    expectOneLine(error, /^MySQL says Unknown database 'no_such_db_here' \(.*\): create it first/);
  });

  it('SQLite: a folder that does not exist', async () => {
    const error = await connectError('sqlite:////nonexistent-folder-xyz/app.db');
    expectOneLine(error, /^Cannot open the SQLite database .*nonexistent-folder-xyz\/app\.db .*: check that its folder exists/);
  });
});
