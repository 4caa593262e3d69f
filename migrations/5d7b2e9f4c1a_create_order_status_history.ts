/**
 * create order_status_history
 *
 * Every status change of an order, and the user who made it.
 *
 * Revision ID: 5d7b2e9f4c1a
 * Revises: 9c3e5f8a1d2b
 * Create Date: 2026-03-11 09:30:05.441870
 */
import type { Operations } from 'alembic-ts';

export const revision = '5d7b2e9f4c1a';
export const downRevision: string | string[] | null = '9c3e5f8a1d2b';
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('order_status_history', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable();
    t.integer('changed_by').unsigned().nullable();
    t.string('old_status', 20).nullable();
    t.string('new_status', 20).notNullable();
    t.timestamp('changed_at').notNullable().defaultTo(op.knex.fn.now());
    t.foreign('order_id', 'fk_order_status_history_order_id_orders').references('id').inTable('orders').onDelete('CASCADE');
    t.foreign('changed_by', 'fk_order_status_history_changed_by_users').references('id').inTable('users').onDelete('SET NULL');
  });
  await op.createIndex('ix_order_status_history_order_id', 'order_status_history', ['order_id']);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('order_status_history');
}
