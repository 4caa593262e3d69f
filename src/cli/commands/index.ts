import type { Command } from 'commander';
import type { CliIO } from '../context.js';
import * as init from './init.js';
import * as listTemplates from './list-templates.js';
import * as revision from './revision.js';
import * as merge from './merge.js';
import * as upgrade from './upgrade.js';
import * as downgrade from './downgrade.js';
import * as stamp from './stamp.js';
import * as current from './current.js';
import * as history from './history.js';
import * as heads from './heads.js';
import * as branches from './branches.js';
import * as show from './show.js';
import * as edit from './edit.js';
import * as ensureVersion from './ensure-version.js';
import * as log from './log.js';

/**
 * Every command module only declares its arguments and imports its api module
 * inside the action, so `migrate --version` loads no driver and no TS loader.
 */
const commands = [
  init, listTemplates, revision, merge, upgrade, downgrade, stamp, current,
  history, heads, branches, show, edit, ensureVersion, log,
];

export function registerCommands(program: Command, io: CliIO): void {
  for (const command of commands) command.register(program, io);
}
