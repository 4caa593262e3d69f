/**
 * create users and orders tables
 *
 * Revision ID: 3a8f1c2d4b7e
 * Revises:
 * Create Date: 2026-03-09 10:12:41.108245
 */
import type { Operations } from 'alembic-ts';

export const revision = '3a8f1c2d4b7e';
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 50).notNullable();
    t.string('email', 255).notNullable();
    t.timestamp('created_at').notNullable().defaultTo(op.knex.fn.now());
  });
  // Unique indexes rather than constraints: SQLite can drop an index, not a constraint.
  await op.createIndex('ix_users_username', 'users', ['username'], { unique: true });
  await op.createIndex('ix_users_email', 'users', ['email'], { unique: true });

  await op.createTable('orders', (t) => {
    t.increments('id');
    // unsigned: MySQL's increments are unsigned, and a foreign key needs the same type.
    t.integer('user_id').unsigned().notNullable();
    t.decimal('amount', 10, 2).notNullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.timestamp('created_at').notNullable().defaultTo(op.knex.fn.now());
    t.foreign('user_id', 'fk_orders_user_id_users').references('id').inTable('users').onDelete('CASCADE');
  });
  await op.createIndex('ix_orders_user_id', 'orders', ['user_id']);
  await op.createIndex('ix_orders_status', 'orders', ['status']);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('orders');
  await op.dropTable('users');
}
