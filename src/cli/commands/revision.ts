import type { Command } from 'commander';
import { projectOptions, globalsOf, type CliIO } from '../context.js';
import { printJson } from '../io.js';

interface RevisionFlags {
  message?: string;
  head?: string;
  splice?: boolean;
  branchLabel?: string[];
  versionPath?: string;
  revId?: string;
  dependsOn?: string[];
  autogenerate?: boolean;
  sql?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('revision')
    .description('create a new revision file')
    .option('-m, --message <message>', 'message: the first line of the doc comment and the file name slug')
    .option('--head <revision>', 'the revision to base the new one on (default head; base for a new root)')
    .option('--splice', 'allow a --head that is not a head, starting a new branch')
    .option('--branch-label <label>', 'branch label of the new revision (repeatable)', collect)
    .option('--version-path <path>', 'one of the versionLocations to write into')
    .option('--rev-id <id>', 'revision id instead of a generated one')
    .option('--depends-on <revision>', 'revision the new one depends on (repeatable)', collect)
    .option('--autogenerate', 'not supported (no model metadata to compare)')
    .option('--sql', 'not supported (revision writes a file)')
    .action(async (flags: RevisionFlags, command: Command) => {
      const { revision } = await import('../../api/revision.js');
      const result = await revision({
        ...projectOptions(command, io),
        message: flags.message,
        head: flags.head,
        splice: flags.splice,
        branchLabels: flags.branchLabel,
        versionPath: flags.versionPath,
        revId: flags.revId,
        dependsOn: flags.dependsOn,
        autogenerate: flags.autogenerate,
        sql: flags.sql,
      });
      if (globalsOf(command).json) printJson(io, result);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
