/**
 * expand: add first_name and last_name to users
 *
 * Step 1 of 3 of splitting username. Nullable, so code that still writes only
 * username keeps working while both shapes are live.
 *
 * Revision ID: b4e6a1c8d3f7
 * Revises: 5d7b2e9f4c1a
 * Create Date: 2026-03-12 16:44:10.902113
 */
import type { Operations } from 'alembic-ts';

export const revision = 'b4e6a1c8d3f7';
export const downRevision: string | string[] | null = '5d7b2e9f4c1a';
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('users', (t) => t.string('first_name', 50).nullable());
  await op.addColumn('users', (t) => t.string('last_name', 50).nullable());
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropColumn('users', 'last_name');
  await op.dropColumn('users', 'first_name');
}
