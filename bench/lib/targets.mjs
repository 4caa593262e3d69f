// The speed targets, checked against one run's records (reported, never asserted).
import { findRecord, formatMs } from './report.mjs';

const groupsOf = (records, suite) => [...new Set(records.filter((r) => r.suite === suite).map((r) => r.group))];
const sizeOf = (group) => Number(group.split(' ').pop());

function verdict(ok) {
  return ok === null ? 'not measured' : ok ? 'met' : 'MISSED';
}

/** @returns {{ target: string, measured: string, verdict: string }[]} */
export function evaluateTargets(records) {
  const results = [];
  const add = (target, measured, ok) => results.push({ target, measured, verdict: verdict(ok) });
  const get = (suite, group, caseName, tool) => {
    const r = findRecord(records, { suite, group, case: caseName, tool });
    return r && Number.isFinite(r.ms) ? r : null;
  };

  // Graph commands at the largest size: ≤ 0.1× Alembic.
  const graphGroups = groupsOf(records, 'graph');
  const largestGraph = Math.max(...graphGroups.map(sizeOf));
  for (const group of graphGroups.filter((g) => sizeOf(g) === largestGraph)) {
    for (const command of ['heads', 'history', 'current']) {
      const ours = get('graph', group, command, 'alembic-ts');
      const theirs = get('graph', group, command, 'alembic');
      const ratio = ours && theirs ? ours.ms / theirs.ms : null;
      add(`${command}, ${group}: ≤ 0.1× Alembic`, ratio === null ? 'no data' : `${formatMs(ours.ms)} vs ${formatMs(theirs.ms)} = ${ratio.toFixed(3)}×`, ratio === null ? null : ratio <= 0.1);
    }
  }

  // Doubling N at most doubles the time: time ratio ≤ size ratio between consecutive sizes.
  const scaling = (suite, caseName, shapeOf) => {
    const byShape = new Map();
    for (const group of groupsOf(records, suite)) {
      const shape = shapeOf(group);
      byShape.set(shape, [...(byShape.get(shape) ?? []), group]);
    }
    for (const [shape, groups] of byShape) {
      const points = groups.map((g) => ({ size: sizeOf(g), r: get(suite, g, caseName, 'alembic-ts') })).filter((p) => p.r).sort((a, b) => a.size - b.size);
      if (points.length < 2) continue;
      const steps = points.slice(1).map((p, i) => ({ from: points[i], to: p, growth: p.r.ms / points[i].r.ms / (p.size / points[i].size) }));
      const worst = Math.max(...steps.map((s) => s.growth));
      add(
        `${caseName}, ${shape}: time grows at most linearly in N`,
        points.map((p) => `${p.size}: ${formatMs(p.r.ms)}`).join(', ') + ` (worst time/size growth ${worst.toFixed(2)})`,
        worst <= 1,
      );
    }
  };
  for (const command of ['heads', 'history', 'current']) scaling('graph', command, (g) => g.split(' ')[0]);
  for (const caseName of ['upgrade head', 'downgrade base']) scaling('upgrade', caseName, (g) => g.split(' ').slice(0, 2).join(' '));

  // upgrade/downgrade: no slower than knex (and node-pg-migrate on PostgreSQL), within 1.5× of the floor.
  for (const group of groupsOf(records, 'upgrade')) {
    for (const caseName of ['upgrade head', 'downgrade base']) {
      const ours = get('upgrade', group, caseName, 'alembic-ts');
      const warm = get('upgrade', group, caseName, 'alembic-ts (warm cache)');
      const warmNote = (other) => (warm && other ? `; warm cache ${formatMs(warm.ms)} = ${(warm.ms / other.ms).toFixed(2)}×` : '');
      const rivals = group.startsWith('postgresql') ? ['knex', 'node-pg-migrate'] : ['knex'];
      for (const rival of rivals) {
        const theirs = get('upgrade', group, caseName, rival);
        const ratio = ours && theirs ? ours.ms / theirs.ms : null;
        add(`${caseName}, ${group}: no slower than ${rival}`, ratio === null ? 'no data' : `${formatMs(ours.ms)} vs ${formatMs(theirs.ms)} = ${ratio.toFixed(2)}×${warmNote(theirs)}`, ratio === null ? null : ratio <= 1);
      }
      const floor = get('upgrade', group, caseName, 'floor');
      const ratio = ours && floor ? ours.ms / floor.ms : null;
      add(`${caseName}, ${group}: ≤ 1.5× the floor`, ratio === null ? 'no data' : `${formatMs(ours.ms)} vs ${formatMs(floor.ms)} = ${ratio.toFixed(2)}×${warmNote(floor)}`, ratio === null ? null : ratio <= 1.5);
    }
  }

  // Offline SQL at the largest size: ≤ 0.25× Alembic.
  const offlineGroups = groupsOf(records, 'offline');
  const largestOffline = Math.max(...offlineGroups.map(sizeOf));
  for (const group of offlineGroups.filter((g) => sizeOf(g) === largestOffline)) {
    const ours = get('offline', group, 'upgrade head --sql', 'alembic-ts');
    const theirs = get('offline', group, 'upgrade head --sql', 'alembic');
    const ratio = ours && theirs ? ours.ms / theirs.ms : null;
    add(`upgrade head --sql, ${group}: ≤ 0.25× Alembic`, ratio === null ? 'no data' : `${formatMs(ours.ms)} vs ${formatMs(theirs.ms)} = ${ratio.toFixed(3)}×`, ratio === null ? null : ratio <= 0.25);
  }

  // Peak memory of the largest upgrades: ≤ 250 MB.
  const upgradeGroups = groupsOf(records, 'upgrade');
  const largestUpgrade = Math.max(...upgradeGroups.map(sizeOf));
  for (const group of upgradeGroups.filter((g) => sizeOf(g) === largestUpgrade)) {
    const ours = findRecord(records, { suite: 'upgrade', group, case: 'upgrade head', tool: 'alembic-ts' });
    const mb = ours && Number.isFinite(ours.ms) ? ours.peakMb : null;
    add(`peak memory, upgrade head, ${group}: ≤ 250 MB`, mb === null ? 'no data' : `${mb.toFixed(0)} MB`, mb === null ? null : mb <= 250);
  }

  // Start-up medians.
  // Absolute limits: node's own start (measured beside them) says what is left for the tool.
  const node = get('startup', 'start-up', 'node -e 0', 'node');
  const nodeNote = node && Number.isFinite(node.ms) ? ` (node -e 0: ${formatMs(node.ms)})` : '';
  for (const [caseName, limit] of [['migrate --version', 100], ['migrate heads (sample app)', 150]]) {
    const r = get('startup', 'start-up', caseName, 'alembic-ts');
    add(`${caseName}: < ${limit} ms`, r ? `${formatMs(r.ms)}${nodeNote}` : 'no data', r ? r.ms < limit : null);
  }
  return results;
}

export function renderTargetsMarkdown(results) {
  return ['| target | measured | verdict |', '|---|---|---|', ...results.map((r) => `| ${r.target} | ${r.measured} | ${r.verdict} |`)].join('\n');
}

export function renderTargetsText(results) {
  return results.map((r) => `${r.verdict.padEnd(12)} ${r.target}: ${r.measured}`).join('\n');
}
