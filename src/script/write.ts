/**
 * Writes a new revision file from the ejs template, checks that what was written
 * reads back as the intended header, and runs the post-write hooks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import { CommandError, ScriptError } from '../errors.js';
import { importModule } from '../import-module.js';
import { parseScriptHeader } from './header.js';
import { formatCreateDate, renderFileName } from './naming.js';

export interface NewRevision {
  readonly revision: string;
  readonly message: string;
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  /** Folder to write into (one of the version locations). */
  readonly directory: string;
  /** Extra values for custom templates. */
  readonly templateArgs?: Record<string, unknown>;
}

/** A JS/TS literal for a header value: 'id', null, ['a', 'b']. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

/** Writes the file (hooks run after); returns its absolute path. */
export async function writeRevisionFile(
  config: ResolvedConfig,
  spec: NewRevision,
  log: (line: string) => void,
  now: Date = new Date(),
): Promise<string> {
  const templateName = basename(config.template).replace(/\.ejs$/, '');
  const extension = extname(templateName) || '.ts';
  const name = renderFileName(config.fileTemplate, {
    rev: spec.revision,
    message: spec.message,
    date: now,
    timezone: config.timezone,
    truncateSlugLength: config.truncateSlugLength,
  });
  const path = join(spec.directory, name + extension);
  if (existsSync(path)) throw new CommandError(`${path} already exists: pick another --rev-id or fileTemplate.`);

  const single = (values: readonly string[]) => (values.length === 0 ? null : values.length === 1 ? values[0]! : [...values]);
  const text = await renderTemplate(config.template, {
    message: spec.message,
    revision: spec.revision,
    revises: spec.downRevisions.join(', '),
    downRevision: single(spec.downRevisions),
    branchLabels: spec.branchLabels.length > 0 ? [...spec.branchLabels] : null,
    dependsOn: single(spec.dependsOn),
    createDate: formatCreateDate(now, config.timezone),
    upgrades: '',
    downgrades: '',
    literal,
    ...spec.templateArgs,
  });
  checkWritten(text, path, spec, config.template);

  log(`Generating ${path} ...  done`);
  mkdirSync(spec.directory, { recursive: true });
  writeFileSync(path, text);
  runPostWriteHooks(config, path, log);
  return path;
}

async function renderTemplate(template: string, data: Record<string, unknown>): Promise<string> {
  let source: string;
  try {
    source = readFileSync(template, 'utf8');
  } catch {
    throw new CommandError(`Revision template ${template} not found: fix 'template' in the config or restore the file.`);
  }
  const ejs = await loadEjs();
  try {
    return ejs.render(source, data, { filename: template, async: false });
  } catch (error) {
    throw new CommandError(`Revision template ${template} failed: ${(error as Error).message.split('\n').pop()}`);
  }
}

/** A custom template that drops or mangles a header would write a file the graph cannot use. */
function checkWritten(text: string, path: string, spec: NewRevision, template: string): void {
  let header;
  try {
    header = parseScriptHeader(text, path);
  } catch (error) {
    const problem = error instanceof ScriptError ? error.message : String(error);
    throw new CommandError(`Template ${template} produced an unreadable revision: ${problem}`);
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (header.revision !== spec.revision || !same(header.downRevisions, spec.downRevisions)) {
    throw new CommandError(`Template ${template} does not write the revision/downRevision it is given: fix the template.`);
  }
}

/** Each hook is a shell command; `{file}` becomes the new file's path. */
export function runPostWriteHooks(config: ResolvedConfig, path: string, log: (line: string) => void): void {
  for (const hook of config.postWriteHooks) {
    const command = hook.includes('{file}') ? hook.replaceAll('{file}', shellQuote(path)) : `${hook} ${shellQuote(path)}`;
    log(`Running post write hook '${hook}' ...`);
    const result = spawnSync(command, { shell: true, cwd: config.rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.error || result.status !== 0) {
      const detail = result.error?.message ?? (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
      const status = result.status === null ? `signal ${String(result.signal)}` : `exit status ${String(result.status)}`;
      throw new CommandError(
        `Post-write hook '${hook}' failed (${status})${detail ? `: ${detail}` : ''}. ${path} was written; fix the hook and run it by hand.`,
      );
    }
    log('  done');
  }
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** ejs is CommonJS: its functions sit on the default export when imported from ESM. */
export async function loadEjs(): Promise<typeof import('ejs')> {
  const loaded = await importModule<typeof import('ejs') & { default?: typeof import('ejs') }>('ejs');
  return loaded.default ?? loaded;
}
