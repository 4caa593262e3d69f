import type { CreateIndexOptions } from '../../operations/types.js';
import type { RenderHelpers } from './types.js';

/**
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON table (cols) [WHERE …]`:
 * the statement every dialect writes; each passes only the options it supports.
 */
export function createIndexStatement(
  h: RenderHelpers,
  name: string,
  table: string,
  columns: readonly string[],
  options: Pick<CreateIndexOptions, 'unique' | 'concurrently' | 'ifNotExists' | 'where'>,
): string {
  return [
    'CREATE',
    options.unique ? 'UNIQUE INDEX' : 'INDEX',
    options.concurrently ? 'CONCURRENTLY' : '',
    options.ifNotExists ? 'IF NOT EXISTS' : '',
    h.quote(name),
    `ON ${h.quote(table)} (${columns.join(', ')})`,
    options.where ? `WHERE ${options.where}` : '',
  ].filter(Boolean).join(' ');
}
