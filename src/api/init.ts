import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import { CommandError } from '../errors.js';
import { literal, loadEjs } from '../script/write.js';
import { listTemplates } from './list-templates.js';
import type { ProjectOptions } from './options.js';

export interface InitOptions {
  /** The scripts folder to create, relative to cwd; default 'migrations'. */
  directory?: string;
  /** -t: an init template (see listTemplates); default 'generic'. */
  template?: string;
}

export interface InitResult {
  readonly directory: string;
  readonly configPath: string;
  /** False when a config already existed and was left alone (as Alembic does). */
  readonly configWritten: boolean;
  /** Every file written, absolute. */
  readonly files: readonly string[];
}

/** Writes migrate.config.ts in cwd (or at -c) and the scripts folder from an init template. */
export async function init(options: ProjectOptions & InitOptions = {}): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => undefined);
  const templateName = options.template ?? 'generic';
  const templates = listTemplates();
  const template = templates.find((t) => t.name === templateName);
  if (!template) {
    throw new CommandError(`No template '${templateName}': the templates are ${templates.map((t) => t.name).join(', ')} (see \`migrate list-templates\`).`);
  }
  const directory = resolve(cwd, options.directory ?? 'migrations');
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new CommandError(`Directory ${directory} already exists and is not empty: pick another folder, or empty it.`);
  }
  const configPath = options.config
    ? resolve(cwd, options.config)
    : (CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path)) ?? join(cwd, CONFIG_FILE_NAMES[0]));

  // Rendered before anything is written, so a failure leaves nothing half-made.
  const ejs = await loadEjs();
  let scriptLocation = relative(dirname(configPath), directory).split(sep).join('/');
  if (scriptLocation === '') scriptLocation = '.';
  const configText = ejs.render(readFileSync(join(template.path, 'migrate.config.ts.ejs'), 'utf8'), { scriptLocation, literal });

  const files: string[] = [];
  copyTree(join(template.path, 'migrations'), directory, files, log);

  let configWritten = false;
  if (existsSync(configPath)) {
    log(`File ${configPath} already exists, skipping`);
  } else {
    const text = configText;
    log(`Generating ${configPath} ...  done`);
    mkdirSync(dirname(configPath), { recursive: true });
    writeFileSync(configPath, text);
    files.push(configPath);
    configWritten = true;
  }
  log(`Please edit the database URL in '${configPath}' before proceeding.`);
  return { directory, configPath, configWritten, files };
}

function copyTree(from: string, to: string, files: string[], log: (line: string) => void): void {
  if (!existsSync(to)) {
    log(`Creating directory ${to} ...  done`);
    mkdirSync(to, { recursive: true });
  }
  for (const entry of readdirSync(from, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, files, log);
    } else {
      log(`Generating ${target} ...  done`);
      copyFileSync(source, target);
      files.push(target);
    }
  }
}

