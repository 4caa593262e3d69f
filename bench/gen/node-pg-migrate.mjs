// node-pg-migrate projects (PostgreSQL only): migrations/<ordinal>_step.js, CommonJS.
import { join } from 'node:path';
import { ordinal } from '../lib/graph.mjs';
import { freshDir, write } from '../lib/files.mjs';
import { lightDeleteSql, lightInsertSql, tableName } from '../lib/workloads.mjs';

const js = (value) => JSON.stringify(value);

function migrationFile(workload, revision) {
  if (workload === 'light') {
    return `exports.up = (pgm) => {\n  pgm.sql(${js(lightInsertSql(revision))});\n};\nexports.down = (pgm) => {\n  pgm.sql(${js(lightDeleteSql(revision))});\n};\n`;
  }
  const table = tableName(revision);
  return `exports.up = (pgm) => {\n  pgm.createTable('${table}', { id: 'id', name: { type: 'varchar(100)' } });\n};\nexports.down = (pgm) => {\n  pgm.dropTable('${table}');\n};\n`;
}

export function generateNodePgMigrate(dir, { revisions, workload }) {
  freshDir(dir, 'migrations');
  write(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  for (const revision of revisions) {
    write(join(dir, 'migrations', `${ordinal(revision.index)}_step.js`), migrationFile(workload, revision));
  }
}
