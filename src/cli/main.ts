import { Command, CommanderError, Option } from 'commander';
import { MigrateError } from '../errors.js';
import { maskPasswords } from '../config/mask.js';
import { selfPackage } from '../package-root.js';
import { stackWithCauses } from '../script/loader/stack.js';
import { createIO } from './io.js';

export { exitWhenFlushed } from './io.js';
import { registerCommands } from './commands/index.js';

/** Runs the CLI; resolves to the exit status. Only parses and prints: the work is in src/api. */
export async function main(argv: readonly string[]): Promise<number> {
  let raiseerr = argv.includes('--raiseerr');
  let quiet = argv.includes('-q') || argv.includes('--quiet');
  const io = createIO(() => quiet);

  const program = new Command('migrate')
    .description("Alembic's migration model for TypeScript projects")
    .version(selfPackage().version, '--version', 'print the version')
    .option('-c, --config <path>', 'config file (default ./migrate.config.ts, or $MIGRATE_CONFIG)')
    .option('-n, --name <name>', 'the entry of `targets` in the config to use')
    .addOption(new Option('-x <key=value>', 'extra argument for the config and migrations (repeatable)').argParser(collect))
    .option('--raiseerr', 'show the full stack trace on errors')
    .option('-q, --quiet', 'no progress output')
    .option('--json', 'machine-readable output for read commands')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      // Commander's own errors are re-printed below as one FAILED: line.
      writeErr: (s) => {
        if (!s.startsWith('error:')) process.stderr.write(s);
      },
    });
  program.hook('preAction', (_root, action) => {
    const g = action.optsWithGlobals() as { raiseerr?: boolean; quiet?: boolean };
    raiseerr = Boolean(g.raiseerr);
    quiet = Boolean(g.quiet);
  });
  registerCommands(program, io);

  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // What a command printed before it failed (progress, current --check-heads) comes first.
    io.flush();
    return await reportError(error, raiseerr);
  } finally {
    io.flush();
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function reportError(error: unknown, raiseerr: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help, --version
    // Commander puts its "(Did you mean …?)" on a line of its own: keep one line.
    const message = error.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`FAILED: ${message}. See 'migrate --help'.\n`);
    return 1;
  }
  const message = maskPasswords((error instanceof Error ? error.message : String(error)).split('\n')[0]!);
  // Errors that are not MigrateError come from a driver or a bug: say how to see more.
  const hint = error instanceof MigrateError || raiseerr ? '' : ' (rerun with --raiseerr for the stack trace)';
  process.stderr.write(`FAILED: ${message}${hint}\n`);
  if (raiseerr && error instanceof Error) process.stderr.write(maskPasswords(await stackWithCauses(error)) + '\n');
  return 1;
}
