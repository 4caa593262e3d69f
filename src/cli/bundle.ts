/** What dist/cli.cjs exports to its launcher (src/cli/launch.ts): the CLI, and the hook for import(). */
export { main } from './main.js';
export { exitWhenFlushed } from './io.js';
export { setModuleImporter } from '../import-module.js';
