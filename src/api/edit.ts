import { spawnSync } from 'node:child_process';
import { CommandError } from '../errors.js';
import type { ProjectOptions } from './options.js';
import { loadProject } from './project.js';
import { resolveOrCommandError } from './revision.js';

export interface EditResult {
  readonly revision: string;
  readonly path: string;
  readonly editor: string;
}

/** Opens a revision's file in $EDITOR (or $VISUAL) and waits for the editor to exit. */
export async function edit(options: ProjectOptions & { revision: string }): Promise<EditResult> {
  const { scripts } = await loadProject(options);
  const identifier = options.revision;
  const found = resolveOrCommandError(scripts, identifier);
  if (found.length !== 1) {
    throw new CommandError(
      found.length === 0
        ? `'${identifier}' names no revision file to edit.`
        : `'${identifier}' names several revisions (${found.map((s) => s.id).join(', ')}): edit one at a time.`,
    );
  }
  const script = found[0]!;
  const editor = process.env.EDITOR || process.env.VISUAL;
  if (!editor) throw new CommandError(`No editor set: set $EDITOR (or $VISUAL) to open ${script.path}.`);
  // Through a shell, so EDITOR="code --wait" works as it does for git.
  const result = spawnSync(`${editor} "$MIGRATE_EDIT_FILE"`, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, MIGRATE_EDIT_FILE: script.path },
  });
  if (result.error || result.status !== 0) {
    throw new CommandError(
      `Editor '${editor}' failed on ${script.path}${result.status !== null ? ` (exit status ${result.status})` : ''}.`,
    );
  }
  return { revision: script.id, path: script.path, editor };
}
