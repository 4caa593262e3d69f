/** Where alembic-ts keeps what it compiles between runs (script/loader/cache.ts, runtime/knex.ts). */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * node_modules/.cache/alembic-ts of the nearest node_modules above `fromDir` (as
 * babel, jiti and eslint do), else the system temp folder. $MIGRATE_CACHE_DIR wins.
 */
export function cacheDirFor(fromDir: string): string {
  const override = process.env.MIGRATE_CACHE_DIR;
  if (override) return override;
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) return join(modules, '.cache', 'alembic-ts');
    if (dirname(dir) === dir) break;
  }
  return join(tmpdir(), `alembic-ts-cache-${process.getuid?.() ?? 'user'}`);
}
