// Start-up: `migrate --version` and `migrate heads` on the sample application (repo root),
// and `node -e 0` beside them: Node's own start on the machine, which both include.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TOOLS } from '../lib/tools.mjs';
import { guarded, interleaved, timedRun } from '../lib/cases.mjs';
import { SANDBOX_CA_CERTS } from '../lib/measure.mjs';

export async function runStartupSuite({ runs }) {
  const records = [];
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const cases = [
    {
      name: 'migrate --version',
      spec: TOOLS['alembic-ts'].command(ROOT, ['--version']),
      verify: (log) => (readFileSync(log, 'utf8').includes(version) ? null : `output lacks ${version}`),
    },
  ];
  if (existsSync(join(ROOT, 'migrate.config.ts'))) {
    cases.push({ name: 'migrate heads (sample app)', spec: TOOLS['alembic-ts'].command(ROOT, ['heads']), verify: (log) => (/\(head\)/.test(readFileSync(log, 'utf8')) ? null : 'no (head) line') });
  } else {
    process.stderr.write('startup: no migrate.config.ts at the repository root yet, skipping `migrate heads` on the sample app\n');
  }
  // Node's own start on this machine, the floor under both figures (tool "node").
  cases.push({ name: 'node -e 0', tool: 'node', spec: { command: process.execPath, args: ['-e', '0'], cwd: ROOT }, verify: null });
  if (SANDBOX_CA_CERTS) {
    // What the sandbox's NODE_EXTRA_CA_CERTS adds to every start (see measure.mjs); not a target figure.
    const withCerts = (spec) => ({ ...spec, env: { ...spec.env, NODE_EXTRA_CA_CERTS: SANDBOX_CA_CERTS } });
    cases.push(
      { ...cases[0], name: `${cases[0].name} (NODE_EXTRA_CA_CERTS set)`, spec: withCerts(cases[0].spec) },
      { name: 'node -e 0 (NODE_EXTRA_CA_CERTS set)', tool: 'node', spec: withCerts(cases.at(-1).spec), verify: null },
    );
  }
  for (const { name, spec } of cases) {
    process.stderr.write(`startup: ${name}\n`);
    // One untimed run first: the OS file cache and alembic-ts's compile cache are warm in daily use.
    await guarded({ suite: 'startup', group: 'start-up', tool: 'alembic-ts' }, ['warm-up'], async () => [{ 'warm-up': await timedRun(`startup-warmup`, spec) }]);
  }
  // Taking turns, so the three see the same machine load.
  records.push(
    ...(await interleaved(
      { runs, budgetMs: Infinity },
      cases.map(({ name, tool = 'alembic-ts', spec, verify }) => ({
        base: { suite: 'startup', group: 'start-up', tool },
        metrics: [name],
        runOnce: async () => ({ [name]: await timedRun(`startup-${name}`, spec, verify ?? undefined) }),
      })),
    )),
  );
  return records;
}
