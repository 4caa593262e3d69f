/**
 * The acceptance of offline mode: for the sample app and a graph with a branch, a merge
 * and a second base, the SQL printed for a range, applied with psql / mysql / sqlite3 to
 * a database standing at FROM, leaves the same schema, data, version rows and history
 * rows as the online run of that range on a twin database; and the statements printed
 * are the statements the online run sent, in the same order, apart from its reads.
 */
import { expect } from 'vitest';
import { createScratchDatabase, describeEachDatabase, itDb, type ScratchDatabase } from '../support/databases.js';
import { upgrade } from '../../src/api/upgrade.js';
import { downgrade } from '../../src/api/downgrade.js';
import { stamp } from '../../src/api/stamp.js';
import { graphRevisions, labelExtra } from './graph-fixture.js';
import {
  applyWithCli, comparable, dataOf, historyOf, projectFor, runOnlineCapturing, schemaOf, statementsOfOutput, versionRowsOf, type PlanMaker,
} from './support.js';

interface RangeCase {
  readonly name: string;
  readonly project: 'sample' | 'graph';
  /** Brings both twins to FROM, online. */
  readonly setup?: { readonly command: 'upgrade' | 'stamp'; readonly target: string };
  /** The offline command and its range argument. */
  readonly command: 'upgrade' | 'downgrade' | 'stamp';
  readonly range: string;
  /** The online run of the same range, planned from the rows the twin holds. */
  readonly online: PlanMaker;
  readonly perMigration?: boolean;
  readonly tables: readonly string[];
}

const sampleTables = ['users', 'orders'];
const graphTables = ['t_a'];

const cases: RangeCase[] = [
  { name: 'sample: upgrade head from an empty database (creates the version table)', project: 'sample', command: 'upgrade', range: 'head', online: (map) => (heads) => map.planUpgrade(heads, 'head'), tables: sampleTables },
  { name: 'sample: upgrade FROM:TO with partial ids', project: 'sample', setup: { command: 'upgrade', target: '3a8f1c2d4b7e' }, command: 'upgrade', range: '3a8f:e2f9', online: (map) => (heads) => map.planUpgrade(heads, 'e2f9'), tables: sampleTables },
  { name: 'sample: downgrade head:9c3e (through the contract and expand steps)', project: 'sample', setup: { command: 'upgrade', target: 'head' }, command: 'downgrade', range: 'head:9c3e', online: (map) => (heads) => map.planDowngrade(heads, '9c3e'), tables: sampleTables },
  { name: 'graph: upgrade heads from empty, both bases, branch and merge', project: 'graph', command: 'upgrade', range: 'heads', online: (map) => (heads) => map.planUpgrade(heads, 'heads'), tables: graphTables },
  { name: 'graph: upgrade b1:m1 (the other branch, then the merge), per migration', project: 'graph', setup: { command: 'upgrade', target: 'b1' }, command: 'upgrade', range: 'b1:m1', online: (map) => (heads) => map.planUpgrade(heads, 'm1'), perMigration: true, tables: graphTables },
  { name: 'graph: upgrade a2:extra@head (a new branch from its base)', project: 'graph', setup: { command: 'upgrade', target: 'a2' }, command: 'upgrade', range: 'a2:extra@head', online: (map) => (heads) => map.planUpgrade(heads, 'extra@head'), tables: graphTables },
  { name: 'graph: downgrade m2:a2 (back through the merge)', project: 'graph', setup: { command: 'upgrade', target: 'm2' }, command: 'downgrade', range: 'm2:a2', online: (map) => (heads) => map.planDowngrade(heads, 'a2'), tables: graphTables },
  { name: 'graph: downgrade heads:base, per migration', project: 'graph', setup: { command: 'upgrade', target: 'heads' }, command: 'downgrade', range: 'heads:base', online: (map) => (heads) => map.planDowngrade(heads, 'base'), perMigration: true, tables: [] },
  { name: 'graph: stamp a2:m1', project: 'graph', setup: { command: 'upgrade', target: 'a2' }, command: 'stamp', range: 'a2:m1', online: (map) => (heads) => map.planStamp(heads, ['m1']), tables: graphTables },
];

function project(db: ScratchDatabase, kind: RangeCase['project'], perMigration: boolean): string {
  const extra = perMigration ? 'transactionPerMigration: true,' : '';
  return kind === 'sample' ? projectFor(db.url, 'sample', extra) : projectFor(db.url, graphRevisions, extra, labelExtra);
}

async function bringTo(cwd: string, setup: RangeCase['setup']): Promise<void> {
  if (!setup) return;
  if (setup.command === 'upgrade') await upgrade({ cwd, target: setup.target });
  else await stamp({ cwd, targets: [setup.target] });
}

async function printed(cwd: string, testCase: RangeCase): Promise<string> {
  const options = { cwd, sql: true as const };
  if (testCase.command === 'upgrade') return (await upgrade({ ...options, target: testCase.range })).sql;
  if (testCase.command === 'downgrade') return (await downgrade({ ...options, target: testCase.range })).sql;
  return (await stamp({ ...options, targets: [testCase.range] })).sql;
}

describeEachDatabase('offline SQL applied by the database CLI equals the online run', (db) => {
  for (const testCase of cases) {
    itDb(testCase.name, async () => {
      const dialect = db().dialect;
      const offlineDb = await createScratchDatabase(dialect);
      const onlineDb = await createScratchDatabase(dialect);
      try {
        const offlineProject = project(offlineDb, testCase.project, Boolean(testCase.perMigration));
        const onlineProject = project(onlineDb, testCase.project, Boolean(testCase.perMigration));
        await bringTo(offlineProject, testCase.setup);
        await bringTo(onlineProject, testCase.setup);

        const sql = await printed(offlineProject, testCase);
        applyWithCli(offlineDb, sql);
        const onlineStatements = await runOnlineCapturing(onlineProject, onlineDb, testCase.online);

        expect(await schemaOf(offlineDb)).toEqual(await schemaOf(onlineDb));
        expect(await versionRowsOf(offlineDb)).toEqual(await versionRowsOf(onlineDb));
        expect(await historyOf(offlineDb)).toEqual(await historyOf(onlineDb));
        const tables = testCase.tables.filter((table) => testCase.command !== 'downgrade' || table !== 't_a' || testCase.range !== 'heads:base');
        expect(await dataOf(offlineDb, tables)).toEqual(await dataOf(onlineDb, tables));
        expect(comparable(statementsOfOutput(sql), dialect)).toEqual(comparable(onlineStatements, dialect));
        // Something ran: the comparison is not between two empty lists.
        expect(statementsOfOutput(sql).length).toBeGreaterThan(1);
      } finally {
        await offlineDb.drop();
        await onlineDb.drop();
      }
    }, 60_000);
  }
});
