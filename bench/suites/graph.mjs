// Graph commands (heads, history, current) on N-revision projects, alembic-ts vs Alembic.
import { join } from 'node:path';
import { headsOf, makeGraph } from '../lib/graph.mjs';
import { freshSqlite } from '../lib/databases.mjs';
import { TOOLS, WORK } from '../lib/tools.mjs';
import { guarded, interleaved, timedRun } from '../lib/cases.mjs';
import { generateAlembicTs } from '../gen/alembic-ts.mjs';
import { generateAlembic } from '../gen/alembic.mjs';
import { readFileSync } from 'node:fs';

export const GRAPH_COMMANDS = ['heads', 'history', 'current'];

const VERSION_TABLES = { 'alembic-ts': 'migrate_version', alembic: 'alembic_version' };

/** A version table at the graph's heads, as `stamp heads` leaves it (Alembic's shape). */
function seedVersionTable(file, table, heads) {
  freshSqlite(file, [
    `CREATE TABLE ${table} (version_num VARCHAR(32) NOT NULL, CONSTRAINT ${table}_pkc PRIMARY KEY (version_num))`,
    ...heads.map((id) => `INSERT INTO ${table} (version_num) VALUES ('${id}')`),
  ]);
}

/** What each command's output must mention, so a broken or stub command can't pass for fast. */
function expectation(command, revisions, heads) {
  const mustMention = command === 'history' ? [revisions[0].id, heads[0]] : heads;
  return (logFile) => {
    const output = readFileSync(logFile, 'utf8');
    const missing = mustMention.filter((id) => !output.includes(id));
    return missing.length ? `output lacks ${missing.join(', ')}` : null;
  };
}

export async function runGraphSuite({ sizes, shapes, runs, budgetMs, tools = ['alembic-ts', 'alembic'] }) {
  const records = [];
  for (const shape of shapes) {
    for (const size of sizes) {
      const revisions = makeGraph(shape, size);
      const heads = headsOf(revisions);
      const group = `${shape} ${size}`;
      const cases = [];
      for (const tool of tools) {
        const dir = join(WORK, 'graph', `${tool}-${shape}-${size}`);
        const dbFile = join(WORK, 'graph', `${tool}-${shape}-${size}.db`);
        const url = `sqlite:///${dbFile}`; // absolute path: four slashes in all
        process.stderr.write(`graph ${group}: ${tool}\n`);
        if (tool === 'alembic-ts') generateAlembicTs(dir, { revisions, workload: 'ddl', url });
        else generateAlembic(dir, { revisions, workload: 'ddl', url });
        seedVersionTable(dbFile, VERSION_TABLES[tool], heads);
        // Untimed warm-up: Alembic writes its .pyc files, alembic-ts fills its compile cache.
        const warm = await guarded({ suite: 'graph', group, tool }, ['warm-up'], async () => [
          { 'warm-up': await timedRun(`graph-${tool}-${shape}-${size}-warmup`, TOOLS[tool].command(dir, ['heads'])) },
        ]);
        for (const command of GRAPH_COMMANDS) {
          if (warm[0].error) {
            records.push({ ...warm[0], case: command });
            continue;
          }
          const label = `graph-${tool}-${shape}-${size}-${command}`;
          const verify = expectation(command, revisions, heads);
          cases.push({
            base: { suite: 'graph', group, tool },
            metrics: [command],
            runOnce: async () => ({ [command]: await timedRun(label, TOOLS[tool].command(dir, [command]), verify) }),
          });
        }
      }
      // The tools take turns, command by command, so each ratio compares runs made side by side.
      const byCommand = GRAPH_COMMANDS.flatMap((command) => cases.filter((entry) => entry.metrics[0] === command));
      records.push(...(await interleaved({ runs, budgetMs }, byCommand)));
    }
  }
  return records;
}
