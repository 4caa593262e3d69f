/** A throwaway project folder (migrate.config.ts + revision files) for CLI tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RevisionSpec {
  id: string;
  down?: string | string[] | null;
  message?: string;
  /** Body of upgrade(op); `op` is the real op API. */
  upgrade?: string;
  downgrade?: string;
  transactional?: boolean;
}

/**
 * The config reads DATABASE_URL, LOCK_TIMEOUT and PER_MIGRATION from the environment,
 * so one folder serves runs with different settings.
 */
export function createProject(revisions: RevisionSpec[], extraConfig = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrate.config.ts'), `export default {
  url: process.env.DATABASE_URL,
  scriptLocation: 'migrations',
  lockTimeout: Number(process.env.LOCK_TIMEOUT ?? 60000),
  transactionPerMigration: process.env.PER_MIGRATION === '1',
  ${extraConfig}
};
`);
  for (const spec of revisions) writeFileSync(join(dir, 'migrations', `${spec.id}_rev.ts`), revisionFile(spec));
  return dir;
}

function literal(value: string | string[] | null | undefined): string {
  return value === undefined || value === null ? 'null' : JSON.stringify(value).replace(/"/g, "'");
}

export function revisionFile(spec: RevisionSpec): string {
  return `/**
 * ${spec.message ?? `rev ${spec.id}`}
 *
 * Revision ID: ${spec.id}
 * Revises: ${Array.isArray(spec.down) ? spec.down.join(', ') : (spec.down ?? '')}
 */
export const revision = '${spec.id}';
export const downRevision: string | string[] | null = ${literal(spec.down)};
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;
${spec.transactional === false ? 'export const transactional = false;\n' : ''}
/** Test hooks: -x marker=<file> is written when a revision named in -x markAt starts; -x sleepAt=<rev> sleeps there. */
async function hooks(op: any, id: string): Promise<void> {
  if (op.xArgs.markAt === id && op.xArgs.marker) (await import('node:fs')).writeFileSync(op.xArgs.marker, String(process.pid));
  if (op.xArgs.sleepAt === id) await new Promise((resolve) => setTimeout(resolve, Number(op.xArgs.sleep ?? 600000)));
}

export async function upgrade(op: any): Promise<void> {
  ${spec.upgrade ?? ''}
  await hooks(op, '${spec.id}');
}

export async function downgrade(op: any): Promise<void> {
  ${spec.downgrade ?? ''}
}
`;
}

/** Three revisions, each creating a table and logging itself into run_log. */
export const loggingRevisions: RevisionSpec[] = [
  { id: 'r1', message: 'create run_log and t1', upgrade: "await op.execute('CREATE TABLE run_log (revision VARCHAR(8) NOT NULL)'); await op.execute('CREATE TABLE t1 (id INTEGER PRIMARY KEY)'); await op.execute(\"INSERT INTO run_log (revision) VALUES ('r1')\");", downgrade: "await op.execute('DROP TABLE t1'); await op.execute('DROP TABLE run_log');" },
  { id: 'r2', down: 'r1', message: 'create t2', upgrade: "await op.execute('CREATE TABLE t2 (id INTEGER PRIMARY KEY)'); await op.execute(\"INSERT INTO run_log (revision) VALUES ('r2')\");", downgrade: "await op.execute('DROP TABLE t2');" },
  { id: 'r3', down: 'r2', message: 'create t3', upgrade: "await op.execute('CREATE TABLE t3 (id INTEGER PRIMARY KEY)'); await op.execute(\"INSERT INTO run_log (revision) VALUES ('r3')\");", downgrade: "await op.execute('DROP TABLE t3');" },
];
