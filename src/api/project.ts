import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { loadScriptDirectory } from '../script/directory.js';
import type { ScriptDirectory } from '../script/types.js';
import type { ProjectOptions } from './options.js';

export interface Project {
  readonly config: ResolvedConfig;
  readonly scripts: ScriptDirectory;
}

/** The config (found from options.cwd, -c, -n, -x) without reading the scripts folder. */
export function loadProjectConfig(options: ProjectOptions): Promise<ResolvedConfig> {
  return loadConfig({ config: options.config, name: options.name, xArgs: options.xArgs, cwd: options.cwd });
}

/** The config and its scripts folder: what every command that needs revisions starts from. */
export async function loadProject(options: ProjectOptions): Promise<Project> {
  const config = await loadProjectConfig(options);
  return { config, scripts: await loadScriptDirectory(config) };
}
