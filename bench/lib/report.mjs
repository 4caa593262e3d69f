// The result tables: one row per tool and case, medians, ratio to alembic-ts, peak memory.
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const key = (r) => `${r.suite}|${r.group}|${r.case}`;

export function findRecord(records, { suite, group, case: caseName, tool }) {
  return records.find((r) => r.suite === suite && r.group === group && r.case === caseName && r.tool === tool);
}

/** Rows ready to print: [case, tool, median, ×alembic-ts, peak MB, runs]. */
function rowsOf(records) {
  const reference = new Map(records.filter((r) => r.tool === 'alembic-ts').map((r) => [key(r), r.ms]));
  return records.map((r) => {
    const base = reference.get(key(r));
    const ratio = Number.isFinite(r.ms) && Number.isFinite(base) && base > 0 ? `${(r.ms / base).toFixed(2)}×` : '—';
    return [
      `${r.group} · ${r.case}`,
      r.tool,
      r.error ? 'failed' : formatMs(r.ms),
      ratio,
      r.peakMb === null || r.peakMb === undefined ? '—' : r.peakMb.toFixed(0),
      String(r.runs),
    ];
  });
}

const HEADER = ['case', 'tool', 'median', '× alembic-ts', 'peak MB', 'runs'];

export const SUITE_TITLES = {
  startup: 'Start-up',
  graph: 'Graph commands (SQLite version table)',
  upgrade: 'upgrade head / downgrade base',
  offline: 'Offline SQL (upgrade head --sql)',
};

function sorted(records) {
  // Keep the run's order of groups and cases, but list the tools of one case together.
  const order = new Map();
  records.forEach((r) => order.has(key(r)) || order.set(key(r), order.size));
  return [...records].sort((a, b) => order.get(key(a)) - order.get(key(b)));
}

export function renderText(records) {
  const out = [];
  for (const [suite, title] of Object.entries(SUITE_TITLES)) {
    const rows = rowsOf(sorted(records.filter((r) => r.suite === suite)));
    if (!rows.length) continue;
    const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    out.push('', title, line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '));
    let previous = '';
    for (const row of rows) {
      out.push(line(row[0] === previous ? ['', ...row.slice(1)] : row));
      previous = row[0];
    }
  }
  return out.join('\n');
}

export function renderMarkdown(records) {
  const out = [];
  for (const [suite, title] of Object.entries(SUITE_TITLES)) {
    const rows = rowsOf(sorted(records.filter((r) => r.suite === suite)));
    if (!rows.length) continue;
    out.push('', `### ${title}`, '', `| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => (i >= 2 ? '---:' : '---')).join('|')}|`);
    let previous = '';
    for (const row of rows) {
      const cells = row[0] === previous ? ['', ...row.slice(1)] : row;
      previous = row[0];
      out.push(`| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
    }
  }
  return out.join('\n');
}

/** One line per failed case: what the tool printed last. */
export function renderFailures(records) {
  const failed = records.filter((r) => r.error);
  return failed.length ? ['Failures:', ...failed.map((r) => `- ${r.suite} ${r.group} · ${r.case} · ${r.tool}: ${r.error}`)].join('\n') : '';
}
