import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIo } from './command';
import { RefusedError } from '../engine/errors';
import { commands } from './commands';

function help(): string {
  const lines = [
    'drawdown — govern prepaid AI credits',
    '',
    'Usage: drawdown <command> [options]',
    '',
    'Commands:',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'The database defaults to the desktop app\'s (userData/drawdown.db); --db PATH or DRAWDOWN_DB override it.',
    'Exit codes: 0 success, 1 the work was refused (reason on stderr), 2 usage error.',
  ];
  return lines.join('\n');
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const cmd: Command | undefined = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`${cmd.usage}\n\n${cmd.summary}`);
      return 0;
    }
    parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: cmd.allowPositionals ?? false, strict: true });
  } catch (e) {
    io.err(`${(e as Error).message}\nUsage: ${cmd.usage}`);
    return 2;
  }
  try {
    return await cmd.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nUsage: ${cmd.usage}`);
      return 2;
    }
    if (e instanceof RefusedError) {
      io.err(e.message);
      return 1;
    }
    io.err(`drawdown ${name} failed: ${(e as Error).message}`);
    return 1;
  }
}
