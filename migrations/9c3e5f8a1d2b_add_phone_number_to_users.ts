/**
 * add phone_number to users
 *
 * Revision ID: 9c3e5f8a1d2b
 * Revises: 3a8f1c2d4b7e
 * Create Date: 2026-03-10 14:05:22.654321
 */
import type { Operations } from 'alembic-ts';

export const revision = '9c3e5f8a1d2b';
export const downRevision: string | string[] | null = '3a8f1c2d4b7e';
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('users', (t) => t.string('phone_number', 20).nullable());
  await op.createIndex('ix_users_phone_number', 'users', ['phone_number']);
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('ix_users_phone_number', 'users');
  await op.dropColumn('users', 'phone_number');
}
