// knex projects: knexfile.cjs and migrations/<ordinal>_step.js (CommonJS, knex's usual form).
import { join } from 'node:path';
import { ordinal } from '../lib/graph.mjs';
import { freshDir, write } from '../lib/files.mjs';
import { KNEX_TABLE_BODY, lightDeleteSql, lightInsertSql, tableName } from '../lib/workloads.mjs';

const js = (value) => JSON.stringify(value);

function migrationFile(workload, revision) {
  if (workload === 'light') {
    return `exports.up = (knex) => knex.raw(${js(lightInsertSql(revision))});\nexports.down = (knex) => knex.raw(${js(lightDeleteSql(revision))});\n`;
  }
  const table = tableName(revision);
  return `exports.up = (knex) =>\n  knex.schema.createTable('${table}', ${KNEX_TABLE_BODY});\nexports.down = (knex) => knex.schema.dropTable('${table}');\n`;
}

/** `connection` is knex's connection setting for `client`. */
export function generateKnex(dir, { revisions, workload, client, connection }) {
  freshDir(dir, 'migrations');
  write(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  write(
    join(dir, 'knexfile.cjs'),
    `module.exports = ${JSON.stringify({ client, connection, useNullAsDefault: true, migrations: { directory: './migrations' } }, null, 2)};\n`,
  );
  for (const revision of revisions) {
    write(join(dir, 'migrations', `${ordinal(revision.index)}_step.js`), migrationFile(workload, revision));
  }
}
