/**
 * The sample application (migrations/) run revision by revision through createOperations,
 * up to head and back to base, on every database.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { RevisionModule } from '../../src/script/types.js';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { columnNames, constraintsOf, indexesOf, onlineOperations, tableNames } from './support.js';

const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');
/** Oldest first, as the graph orders them. */
const ORDER = ['3a8f1c2d4b7e', '9c3e5f8a1d2b', '5d7b2e9f4c1a', 'b4e6a1c8d3f7', 'e2f9c7a5b1d8', '7f1d4b8e2a6c'];

interface SampleRevision extends RevisionModule {
  revision: string;
  downRevision: string | null;
}

async function loadRevisions(): Promise<SampleRevision[]> {
  const files = readdirSync(MIGRATIONS).filter((file) => file.endsWith('.ts'));
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(join(MIGRATIONS, file)).href) as Promise<SampleRevision>));
  return ORDER.map((id) => modules.find((module) => module.revision === id)!);
}

describeEachDatabase('sample application', (db) => {
  itDb('the revisions form one line, oldest first', async () => {
    const revisions = await loadRevisions();
    expect(revisions.map((revision) => revision.downRevision)).toEqual([null, ...ORDER.slice(0, -1)]);
  });

  itDb('upgrades to head and downgrades to base, keeping the data', async () => {
    const revisions = await loadRevisions();
    const { op } = onlineOperations(db());
    const byId = (id: string) => revisions.find((revision) => revision.revision === id)!;
    const users = () => db().knex('users').orderBy('id');

    await byId('3a8f1c2d4b7e').upgrade(op);
    expect(await tableNames(db())).toEqual(['orders', 'users']);
    await db().knex('users').insert([
      { username: 'ada_lovelace', email: 'ada@example.com' },
      { username: 'plato', email: 'plato@example.com' },
      { username: 'grace_brewster_hopper', email: 'grace@example.com' },
    ]);
    await db().knex('orders').insert([{ user_id: 1, amount: 12.5 }, { user_id: 2, amount: 3 }]);
    await expect(db().knex('orders').insert({ user_id: 99, amount: 1 })).rejects.toThrow();
    expect((await db().knex('orders').select('status')).map((row) => row.status)).toEqual(['pending', 'pending']);

    await byId('9c3e5f8a1d2b').upgrade(op);
    expect(await columnNames(db(), 'users')).toContain('phone_number');
    expect((await indexesOf(db(), 'users')).map((index) => index.name)).toContain('ix_users_phone_number');

    await byId('5d7b2e9f4c1a').upgrade(op);
    await db().knex('order_status_history').insert({ order_id: 1, changed_by: 2, old_status: 'pending', new_status: 'paid' });
    if (db().dialect !== 'sqlite') {
      expect(await constraintsOf(db(), 'order_status_history')).toEqual(expect.arrayContaining([
        'fk_order_status_history_changed_by_users FOREIGN KEY',
        'fk_order_status_history_order_id_orders FOREIGN KEY',
      ]));
    }
    await expect(db().knex('order_status_history').insert({ order_id: 42, new_status: 'x' })).rejects.toThrow();

    await byId('b4e6a1c8d3f7').upgrade(op);
    await byId('e2f9c7a5b1d8').upgrade(op);
    expect(await users().select('username', 'first_name', 'last_name')).toEqual([
      { username: 'ada_lovelace', first_name: 'ada', last_name: 'lovelace' },
      { username: 'plato', first_name: 'plato', last_name: '' },
      { username: 'grace_brewster_hopper', first_name: 'grace', last_name: 'brewster_hopper' },
    ]);

    await byId('7f1d4b8e2a6c').upgrade(op);
    expect(await columnNames(db(), 'users')).toEqual(['id', 'email', 'created_at', 'phone_number', 'first_name', 'last_name']);
    expect((await indexesOf(db(), 'users')).map((index) => index.name)).toEqual(['ix_users_email', 'ix_users_phone_number']);
    // The foreign keys still act: deleting plato cascades to his order and nulls changed_by in the history.
    if (db().dialect === 'sqlite') await db().knex.raw('PRAGMA foreign_keys = ON');
    await db().knex('users').where({ id: 2 }).delete();
    expect((await db().knex('orders').select('user_id')).map((row) => row.user_id)).toEqual([1]);
    expect(await db().knex('order_status_history').select('changed_by')).toEqual([{ changed_by: null }]);

    await byId('7f1d4b8e2a6c').downgrade(op);
    expect((await users().select('username')).map((row) => row.username)).toEqual(['ada_lovelace', 'grace_brewster_hopper']);
    expect((await indexesOf(db(), 'users')).find((index) => index.name === 'ix_users_username')).toEqual({
      name: 'ix_users_username', unique: true, columns: ['username'],
    });
    await byId('e2f9c7a5b1d8').downgrade(op);
    expect(await users().select('first_name', 'last_name')).toEqual(Array(2).fill({ first_name: null, last_name: null }));
    await byId('b4e6a1c8d3f7').downgrade(op);
    expect(await columnNames(db(), 'users')).not.toContain('first_name');
    await byId('5d7b2e9f4c1a').downgrade(op);
    expect(await tableNames(db())).toEqual(['orders', 'users']);
    await byId('9c3e5f8a1d2b').downgrade(op);
    // The restored username comes back as the last column.
    expect((await columnNames(db(), 'users')).sort()).toEqual(['created_at', 'email', 'id', 'username']);
    await byId('3a8f1c2d4b7e').downgrade(op);
    expect(await tableNames(db())).toEqual([]);
  });
});
