// `upgrade head --sql` (offline: no connection) of N revisions, PostgreSQL dialect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linearGraph } from '../lib/graph.mjs';
import { TOOLS, WORK } from '../lib/tools.mjs';
import { guarded, interleaved, timedRun } from '../lib/cases.mjs';
import { generateAlembicTs } from '../gen/alembic-ts.mjs';
import { generateAlembic } from '../gen/alembic.mjs';

// Never connected to: offline mode takes only the dialect from the URL.
const OFFLINE_URL = 'postgresql://bench@127.0.0.1:5432/offline_only';

export async function runOfflineSuite({ sizes, runs, budgetMs, tools = ['alembic-ts', 'alembic'] }) {
  const records = [];
  for (const size of sizes) {
    const revisions = linearGraph(size);
    const last = revisions[revisions.length - 1];
    const group = `postgresql ddl ${size}`;
    const cases = [];
    for (const tool of tools) {
      process.stderr.write(`offline ${group}: ${tool}\n`);
      const dir = join(WORK, 'offline', `${tool}-${size}`);
      if (tool === 'alembic-ts') generateAlembicTs(dir, { revisions, workload: 'ddl', url: OFFLINE_URL });
      else generateAlembic(dir, { revisions, workload: 'ddl', url: OFFLINE_URL });
      const label = `offline-${tool}-${size}`;
      // The script must have printed every step, down to the last revision's version row.
      const verify = (logFile) => {
        const output = readFileSync(logFile, 'utf8');
        return output.includes(`'${last.id}'`) && output.includes('COMMIT;') ? null : `the SQL lacks the last step (${last.id}) or COMMIT`;
      };
      const warm = await guarded({ suite: 'offline', group, tool }, ['warm-up'], async () => [
        { 'warm-up': await timedRun(`${label}-warmup`, TOOLS[tool].command(dir, ['heads'])) },
      ]);
      if (warm[0].error) {
        records.push({ ...warm[0], case: 'upgrade head --sql' });
        continue;
      }
      cases.push({
        base: { suite: 'offline', group, tool },
        metrics: ['upgrade head --sql'],
        runOnce: async () => ({
          'upgrade head --sql': await timedRun(label, TOOLS[tool].command(dir, ['upgrade', 'head', '--sql']), verify),
        }),
      });
    }
    // Tools take turns run by run (see interleaved).
    records.push(...(await interleaved({ runs, budgetMs }, cases)));
  }
  return records;
}
