/**
 * contract: drop username from users
 *
 * Step 3 of 3, once no code reads username. The downgrade rebuilds it from
 * first_name and last_name (joined with an underscore unless last_name is empty).
 *
 * Revision ID: 7f1d4b8e2a6c
 * Revises: e2f9c7a5b1d8
 * Create Date: 2026-03-13 11:20:48.775029
 */
import type { Operations } from 'alembic-ts';

export const revision = '7f1d4b8e2a6c';
export const downRevision: string | string[] | null = 'e2f9c7a5b1d8';
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.dropIndex('ix_users_username', 'users');
  await op.dropColumn('users', 'username');
}

export async function downgrade(op: Operations): Promise<void> {
  // NOT NULL needs a default to be added to existing rows (SQLite's rule); the UPDATE fills it.
  await op.addColumn('users', (t) => t.string('username', 50).notNullable().defaultTo(''));
  const joined = op.dialect === 'mysql' ? "CONCAT(first_name, '_', last_name)" : "first_name || '_' || last_name";
  await op.execute(
    `UPDATE users SET username = CASE WHEN last_name IS NULL OR last_name = '' THEN COALESCE(first_name, '') ELSE ${joined} END`,
  );
  await op.createIndex('ix_users_username', 'users', ['username'], { unique: true });
}
