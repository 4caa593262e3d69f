/**
 * backfill first_name and last_name from username
 *
 * Step 2 of 3: "ada_lovelace" becomes first_name "ada", last_name "lovelace"
 * (split at the first underscore); a username without one becomes first_name
 * with an empty last_name.
 *
 * Revision ID: e2f9c7a5b1d8
 * Revises: b4e6a1c8d3f7
 * Create Date: 2026-03-12 16:58:37.310554
 */
import type { Operations } from 'alembic-ts';

export const revision = 'e2f9c7a5b1d8';
export const downRevision: string | string[] | null = 'b4e6a1c8d3f7';
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  // substr() exists everywhere; the position function does not: PostgreSQL has strpos().
  const underscore = op.dialect === 'postgresql' ? "strpos(username, '_')" : "instr(username, '_')";
  await op.execute(
    `UPDATE users SET
       first_name = CASE WHEN ${underscore} > 0 THEN substr(username, 1, ${underscore} - 1) ELSE username END,
       last_name = CASE WHEN ${underscore} > 0 THEN substr(username, ${underscore} + 1) ELSE '' END
     WHERE first_name IS NULL`,
  );
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('UPDATE users SET first_name = NULL, last_name = NULL');
}
