import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { constraintsOf, indexesOf, onlineOperations, operationErrorOf } from './support.js';

describeEachDatabase('index and constraint ops', (db) => {
  const q = () => (db().dialect === 'postgresql' ? '"' : '`');

  itDb('createIndex and dropIndex, unique and plain', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('i_users', (t) => {
      t.integer('id');
      t.string('email', 100);
      t.string('city', 50);
    });
    await op.createIndex('ix_i_users_email', 'i_users', ['email'], { unique: true });
    await op.createIndex('ix_i_users_city_email', 'i_users', ['city', 'email']);
    expect(await indexesOf(db(), 'i_users')).toEqual([
      { name: 'ix_i_users_city_email', unique: false, columns: ['city', 'email'] },
      { name: 'ix_i_users_email', unique: true, columns: ['email'] },
    ]);
    const Q = q();
    expect(sql()[1]).toBe(`CREATE UNIQUE INDEX ${Q}ix_i_users_email${Q} ON ${Q}i_users${Q} (${Q}email${Q})`);
    await op.dropIndex('ix_i_users_email', 'i_users');
    await op.dropIndex('ix_missing', 'i_users', { ifExists: true });
    expect((await indexesOf(db(), 'i_users')).map((index) => index.name)).toEqual(['ix_i_users_city_email']);
    expect(sql()[3]).toBe(db().dialect === 'mysql' ? 'DROP INDEX `ix_i_users_email` ON `i_users`' : `DROP INDEX ${Q}ix_i_users_email${Q}`);
  });

  itDb('createIndex with where: a partial index, refused on MySQL', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('i_partial', (t) => {
      t.integer('id');
      t.boolean('active');
    });
    if (db().dialect === 'mysql') {
      const message = await operationErrorOf(op.createIndex('ix_active', 'i_partial', ['id'], { where: 'active' }));
      expect(message).toContain('MySQL has no partial indexes');
      expect(message).toContain('drop `where`');
      expect(sql()).toHaveLength(1);
      return;
    }
    await op.createIndex('ix_active', 'i_partial', ['id'], { unique: true, where: 'active = true' });
    await op.bulkInsert('i_partial', [{ id: 1, active: false }, { id: 1, active: false }, { id: 1, active: true }]);
    await expect(op.bulkInsert('i_partial', [{ id: 1, active: true }])).rejects.toThrow();
  });

  itDb('concurrently is PostgreSQL-only and ignored elsewhere', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('i_conc', (t) => t.integer('id'));
    await op.autocommitBlock(async () => {
      await op.createIndex('ix_conc', 'i_conc', ['id'], { concurrently: true });
    });
    expect((await indexesOf(db(), 'i_conc')).map((index) => index.name)).toEqual(['ix_conc']);
    expect(sql()[1]!.includes('CONCURRENTLY')).toBe(db().dialect === 'postgresql');
    await op.dropIndex('ix_conc', 'i_conc', { concurrently: true });
    expect(await indexesOf(db(), 'i_conc')).toEqual([]);
  });

  itDb('createUniqueConstraint, createCheckConstraint, createForeignKey, createPrimaryKey and dropConstraint (SQLite refuses, naming batchAlterTable)', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('k_users', (t) => {
      t.integer('id').notNullable();
      t.string('email', 100);
    });
    await op.createTable('k_orders', (t) => {
      t.integer('id').notNullable();
      t.integer('user_id');
      t.integer('total');
    });
    if (db().dialect === 'sqlite') {
      for (const attempt of [
        op.createPrimaryKey('pk_k_users', 'k_users', ['id']),
        op.createUniqueConstraint('uq_k_users_email', 'k_users', ['email']),
        op.createForeignKey('fk_k_orders_user', 'k_orders', 'k_users', ['user_id'], ['id']),
        op.createCheckConstraint('ck_k_orders_total', 'k_orders', 'total >= 0'),
        op.dropConstraint('fk_k_orders_user', 'k_orders', { type: 'foreignkey' }),
      ]) {
        const message = await operationErrorOf(attempt);
        expect(message).toMatch(/on sqlite: SQLite cannot (add|drop) a constraint/);
        expect(message).toContain("op.batchAlterTable('k_");
      }
      expect(sql()).toHaveLength(2);
      return;
    }
    await op.createPrimaryKey('pk_k_users', 'k_users', ['id']);
    await op.createPrimaryKey('pk_k_orders', 'k_orders', ['id']);
    await op.createUniqueConstraint('uq_k_users_email', 'k_users', ['email']);
    await op.createForeignKey('fk_k_orders_user', 'k_orders', 'k_users', ['user_id'], ['id'], { onDelete: 'CASCADE' });
    await op.createCheckConstraint('ck_k_orders_total', 'k_orders', 'total >= 0');
    const Q = q();
    expect(sql().slice(5, 7)).toEqual([
      `ALTER TABLE ${Q}k_orders${Q} ADD CONSTRAINT ${Q}fk_k_orders_user${Q} FOREIGN KEY (${Q}user_id${Q}) REFERENCES ${Q}k_users${Q} (${Q}id${Q}) ON DELETE CASCADE`,
      `ALTER TABLE ${Q}k_orders${Q} ADD CONSTRAINT ${Q}ck_k_orders_total${Q} CHECK (total >= 0)`,
    ]);
    const primary = db().dialect === 'mysql' ? 'PRIMARY' : 'pk_k_orders';
    expect(await constraintsOf(db(), 'k_orders')).toEqual([
      'ck_k_orders_total CHECK',
      'fk_k_orders_user FOREIGN KEY',
      `${primary} PRIMARY KEY`,
    ].sort());
    // The constraints hold: the check, the foreign key and its cascade.
    await op.bulkInsert('k_users', [{ id: 1, email: 'a@x' }]);
    await expect(op.bulkInsert('k_users', [{ id: 2, email: 'a@x' }])).rejects.toThrow();
    await expect(op.bulkInsert('k_orders', [{ id: 1, user_id: 1, total: -1 }])).rejects.toThrow();
    await expect(op.bulkInsert('k_orders', [{ id: 1, user_id: 9, total: 1 }])).rejects.toThrow();
    await op.bulkInsert('k_orders', [{ id: 1, user_id: 1, total: 1 }]);
    await op.execute(op.knex('k_users').where({ id: 1 }).delete());
    expect(await db().knex('k_orders').count({ n: '*' })).toEqual([{ n: db().dialect === 'postgresql' ? '0' : 0 }]);

    if (db().dialect === 'mysql') {
      const message = await operationErrorOf(op.dropConstraint('fk_k_orders_user', 'k_orders'));
      expect(message).toContain("pass the constraint's type");
    }
    await op.dropConstraint('fk_k_orders_user', 'k_orders', { type: 'foreignkey' });
    await op.dropConstraint('ck_k_orders_total', 'k_orders', { type: 'check' });
    await op.dropConstraint('uq_k_users_email', 'k_users', { type: 'unique' });
    await op.dropConstraint('pk_k_orders', 'k_orders', { type: 'primary' });
    expect(await constraintsOf(db(), 'k_orders')).toEqual([]);
    expect(await constraintsOf(db(), 'k_users')).toEqual([`${db().dialect === 'mysql' ? 'PRIMARY' : 'pk_k_users'} PRIMARY KEY`]);
  });
});
