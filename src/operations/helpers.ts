/** RenderHelpers for one op call: quoting, literals, errors and live reads in context. */
import type { RenderHelpers } from '../dialects/ddl/index.js';
import { OperationError } from '../errors.js';
import { rowsOf } from '../dialects/common.js';
import { isCompilable } from './statements.js';
import type { ColumnDefault, OperationContext } from './types.js';

export function createRenderHelpers(context: OperationContext, op: string): RenderHelpers {
  const { knex } = context;
  const unsupported = (what: string, wayOut: string) => operationError(context, op, `${what}; ${wayOut}`);
  return {
    knex,
    op,
    quote: (identifier) => knex.raw('??', [identifier]).toQuery(),
    literal: (value) => knex.raw('?', [value as never]).toQuery(),
    defaultExpression(value: ColumnDefault) {
      if (value === null) return null;
      if (isCompilable(value)) return (value as unknown as { toQuery(): string }).toQuery();
      return knex.raw('?', [value]).toQuery();
    },
    unsupported,
    async read(sql, bindings, offline) {
      if (context.isOffline) throw unsupported(`${offline.why} (offline mode cannot read the database)`, offline.wayOut);
      return rowsOf(await context.getBind().raw(sql, bindings as never[]));
    },
  };
}

/** "alterColumn(users.name) on sqlite: <message> [revision abc123]" */
export function operationError(context: OperationContext, op: string, message: string): OperationError {
  const revision = context.revision ? ` [revision ${context.revision}]` : '';
  return new OperationError(`${op} on ${context.dialect}: ${message}${revision}`);
}
