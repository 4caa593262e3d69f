/** The package's own entry point does what the CLI does, returning data (SPEC §5, DESIGN: library first). */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../dist/index.js';

describe('the programmatic API (alembic-ts entry point)', () => {
  it('scaffolds, inspects, merges and runs a project without the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-api-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrate.config.mjs'), "export default { url: 'sqlite:///app.db', scriptLocation: 'migrations' };\n");
    const project = { config: 'migrate.config.mjs', cwd: dir };

    const first = await api.revision({ ...project, message: 'create users', revId: 'aaaa00000001' });
    expect(first).toMatchObject({ revision: 'aaaa00000001', downRevisions: [] });
    await api.revision({ ...project, message: 'left', revId: 'bbbb00000002' });
    await api.revision({ ...project, message: 'right', revId: 'cccc00000003', head: 'aaaa00000001', splice: true });

    expect((await api.heads(project)).map((h) => h.revision).sort()).toEqual(['bbbb00000002', 'cccc00000003']);
    await expect(api.revision({ ...project, message: 'ambiguous' })).rejects.toBeInstanceOf(api.CommandError);

    const merged = await api.merge({ ...project, revisions: ['heads'], message: 'join', revId: 'dddd00000004' });
    expect([...merged.downRevisions].sort()).toEqual(['bbbb00000002', 'cccc00000003']);
    const [head] = await api.heads(project);
    expect(head).toMatchObject({ revision: 'dddd00000004', message: 'join', isMergePoint: true });
    expect(head?.doc).toContain('join');
    // brief: the same summary without the doc and create date (what `heads` prints one line of).
    const [brief] = await api.heads({ ...project, brief: true });
    expect(brief).toMatchObject({ revision: 'dddd00000004', message: 'join', isMergePoint: true });
    expect(brief).not.toHaveProperty('doc');
    expect(brief).not.toHaveProperty('createDate');
    expect((await api.history(project)).map((h) => h.revision)[0]).toBe('dddd00000004');
    const [point] = await api.branches(project);
    expect(point?.revision.revision).toBe('aaaa00000001');

    const run = await api.upgrade({ ...project, target: 'head' });
    expect(run.steps.map((s) => s.revision)).toHaveLength(4);
    expect(run.heads).toEqual(['dddd00000004']);
    const now = await api.current(project);
    expect(now.current.map((c) => c.revision)).toEqual(['dddd00000004']);
    expect(now.atHeads).toBe(true);

    const back = await api.downgrade({ ...project, target: 'base' });
    expect(back.heads).toEqual([]);
    await expect(api.show({ ...project, revision: 'nope' })).rejects.toBeInstanceOf(api.MigrateError);
  });
});
