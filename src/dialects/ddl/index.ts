import type { DialectName } from '../../config/types.js';
import { mysqlDdl } from './mysql.js';
import { postgresqlDdl } from './postgresql.js';
import { sqliteDdl } from './sqlite.js';
import type { DialectDdl } from './types.js';

export type { DialectDdl, RenderHelpers } from './types.js';

const BY_DIALECT: Record<DialectName, DialectDdl> = {
  sqlite: sqliteDdl,
  postgresql: postgresqlDdl,
  mysql: mysqlDdl,
};

export function ddlFor(dialect: DialectName): DialectDdl {
  return BY_DIALECT[dialect];
}
