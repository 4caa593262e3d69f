import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagedTemplate } from '../config/resolve.js';

export interface InitTemplate {
  readonly name: string;
  /** The first line of the template's README. */
  readonly description: string;
  /** Absolute folder of the template. */
  readonly path: string;
}

/** The templates `init -t` accepts, from templates/init/ of the package. */
export function listTemplates(): InitTemplate[] {
  const root = packagedTemplate('init');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const path = join(root, entry.name);
      const readme = join(path, 'migrations', 'README');
      const description = existsSync(readme) ? readFileSync(readme, 'utf8').split('\n')[0]!.trim() : '';
      return { name: entry.name, description, path };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
