// The two workloads, as the SQL every tool ends up running. DDL statements come from
// knex's schema builder so the floor runs exactly what knex / alembic-ts generate.
import knexFactory from 'knex';
import { ordinal } from './graph.mjs';

export const WORKLOADS = ['ddl', 'light'];

/** The table the light workload writes to; created before each timed run, untimed. */
export const LIGHT_TABLE = 'bench_rows';

export function lightTableSql(dialect) {
  return `CREATE TABLE ${LIGHT_TABLE} (rev VARCHAR(32) NOT NULL PRIMARY KEY)`;
}

export function tableName(revision) {
  return `t_${ordinal(revision.index)}`;
}

export function lightInsertSql(revision) {
  return `INSERT INTO ${LIGHT_TABLE} (rev) VALUES ('${revision.id}')`;
}

export function lightDeleteSql(revision) {
  return `DELETE FROM ${LIGHT_TABLE} WHERE rev = '${revision.id}'`;
}

const builders = new Map();
function schemaBuilderFor(dialect) {
  let builder = builders.get(dialect);
  if (!builder) {
    // No connection is opened: only .toSQL() is used.
    builder = knexFactory({ client: dialect === 'sqlite' ? 'better-sqlite3' : 'pg', useNullAsDefault: true });
    builders.set(dialect, builder);
  }
  return builder;
}

/** The columns every DDL step's table has, written once for knex-based tools. */
export const KNEX_TABLE_BODY = "(t) => {\n    t.increments('id');\n    t.string('name', 100);\n  }";

/** Up and down SQL of one step, as run by the floor. */
export function stepSql(workload, dialect, revision) {
  if (workload === 'light') return { up: [lightInsertSql(revision)], down: [lightDeleteSql(revision)] };
  const knex = schemaBuilderFor(dialect);
  const name = tableName(revision);
  const up = knex.schema
    .createTable(name, (t) => {
      t.increments('id');
      t.string('name', 100);
    })
    .toSQL()
    .map((q) => q.sql);
  const down = knex.schema.dropTable(name).toSQL().map((q) => q.sql);
  return { up, down };
}

export async function closeSchemaBuilders() {
  for (const builder of builders.values()) await builder.destroy();
  builders.clear();
}
