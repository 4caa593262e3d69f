import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from './support-scaffold.js';

describe('migrate edit', () => {
  it("opens the revision's file in $EDITOR", () => {
    const p = tempProject(`export default {};\n`);
    p.run('revision', '-m', 'one', '--rev-id', 'abcd1234');
    // The "editor" appends a marker, so we can see which file it got.
    const result = p.runWith({ EDITOR: 'sh -c \'echo "// edited" >> "$1"\' editor', VISUAL: '' }, 'edit', 'abcd');
    expect(result.status).toBe(0);
    expect(p.read('migrations/abcd1234_one.ts').endsWith('// edited\n')).toBe(true);
    expect(p.runWith({ EDITOR: '', VISUAL: 'true' }, 'edit', 'head').status).toBe(0);
  });

  it('refuses without an editor, and reports a failing editor', () => {
    const p = tempProject(`export default {};\n`);
    p.run('revision', '-m', 'one', '--rev-id', 'a1');
    const none = p.runWith({ EDITOR: '', VISUAL: '' }, 'edit', 'a1');
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`FAILED: No editor set: set $EDITOR (or $VISUAL) to open ${join(p.dir, 'migrations/a1_one.ts')}.\n`);
    const failing = p.runWith({ EDITOR: 'false' }, 'edit', 'a1');
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/^FAILED: Editor 'false' failed on .*a1_one\.ts \(exit status 1\)\.\n$/);
  });
});
