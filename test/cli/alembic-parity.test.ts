/**
 * heads / branches / history / show print what Alembic 1.8 prints for the same graph.
 * The expected output was recorded from Alembic itself by test/fixtures/cli/record.py;
 * file paths are replaced by <path>, trailing spaces are ignored. Alembic orders the children of a branch point by
 * Python set order, so those lines are compared as sets.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface CaseRevision { id: string; down: string[]; deps?: string[]; labels?: string[]; message: string }
interface Recorded { args: string[]; status: number; stdout: string[] }

const fixtures = new URL('../fixtures/cli/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', fixtures), 'utf8')) as Record<string, { revisions: CaseRevision[]; stamp?: string[] }>;
const expected = JSON.parse(readFileSync(new URL('expected.json', fixtures), 'utf8')) as Record<string, Recorded[]>;

function literal(values: string[] | undefined): string {
  if (!values || values.length === 0) return 'null';
  return values.length === 1 ? `'${values[0]}'` : `[${values.map((v) => `'${v}'`).join(', ')}]`;
}

function revisionFile(rev: CaseRevision): string {
  return `/**
 * ${rev.message}
 *
 * Revision ID: ${rev.id}
 * Revises: ${rev.down.join(', ')}
 * Create Date: 2026-01-01 00:00:00.000000
 */
import type { Operations } from 'alembic-ts';

export const revision = '${rev.id}';
export const downRevision: string | string[] | null = ${literal(rev.down)};
export const branchLabels: string[] | null = ${rev.labels ? `[${rev.labels.map((l) => `'${l}'`).join(', ')}]` : 'null'};
export const dependsOn: string | string[] | null = ${literal(rev.deps)};

export async function upgrade(op: Operations): Promise<void> {}

export async function downgrade(op: Operations): Promise<void> {}
`;
}

/**
 * Alembic's set-ordered parts become sorted so that only content is compared: the
 * children of a branch point, and the rows `current` lists (Alembic's order changes
 * even between `current` and `current -v` of one database).
 */
function normalise(lines: string[], args: string[]): string[] {
  if (args[0] === 'current') return sortBlocks(lines);
  const out: string[] = [];
  let arrows: string[] = [];
  const flush = () => {
    out.push(...arrows.sort());
    arrows = [];
  };
  for (const raw of lines) {
    // Trailing spaces aside: a doc comment's `Revises: ` loses its space in our parser.
    let line = raw.startsWith('Path: ') ? 'Path: <path>' : raw.trimEnd();
    if (line.startsWith('Branches into: ')) line = 'Branches into: ' + line.slice(15).split(', ').sort().join(', ');
    if (/^ +-> /.test(line)) arrows.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** The blocks of a verbose listing (each ends with a blank line), or the lines of a short one, sorted. */
function sortBlocks(lines: string[]): string[] {
  const header = lines[0]?.startsWith('Current revision(s) for ') ? [lines[0]] : [];
  const blocks: string[][] = [];
  for (const line of lines.slice(header.length)) {
    if (line.startsWith('Rev: ') || blocks.length === 0 || !blocks.at(-1)![0]!.startsWith('Rev: ')) blocks.push([]);
    blocks.at(-1)!.push(line.startsWith('Path: ') ? 'Path: <path>' : line.trimEnd());
  }
  return [...header, ...blocks.map((b) => b.join('\n')).sort()];
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'migrate-parity-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const [name, spec] of Object.entries(cases)) {
  describe(`Alembic parity: ${name}`, () => {
    let dir: string;
    beforeAll(() => {
      dir = join(root, name);
      mkdirSync(join(dir, 'migrations'), { recursive: true });
      // The same URL text Alembic was given, so `current -v` prints the same line.
      writeFileSync(
        join(dir, 'migrate.config.mjs'),
        `export default { url: 'sqlite:///${dir}/x.db', scriptLocation: 'migrations', historyTable: false };\n`,
      );
      for (const rev of spec.revisions) writeFileSync(join(dir, 'migrations', `${rev.id}_x.ts`), revisionFile(rev));
      if (spec.stamp) {
        const stamped = runCli(['-c', 'migrate.config.mjs', 'stamp', ...spec.stamp], { cwd: dir });
        expect(stamped.status, stamped.stderr).toBe(0);
      }
    });
    for (const recorded of expected[name]!) {
      it(`migrate ${recorded.args.join(' ')}`, () => {
        const result = runCli(['-c', 'migrate.config.mjs', ...recorded.args], { cwd: dir });
        if (recorded.status !== 0) {
          expect(result.status, result.stderr).toBe(1);
          expect(result.stderr).toMatch(/^FAILED: [^\n]+\n$/);
          return;
        }
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        const lines = result.lines.map((line) => line.replaceAll(dir, '<root>'));
        expect(normalise(lines, recorded.args)).toEqual(normalise(recorded.stdout, recorded.args));
      });
    }
  });
}
