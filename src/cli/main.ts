import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CliCommand } from './command.js';
import { EXIT_CANNOT_ANALYSE, UserError } from './exit-codes.js';
import { TOOL_VERSION } from '../version.js';
import { commands } from './commands/index.js';

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Parses argv, runs the chosen command, and returns the process exit code. Never throws. */
export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  let code = 0;
  let failed = false;
  const y = yargs(args)
    .scriptName('ajp-inspect')
    .usage(
      'ajp-inspect: decode AJP13 and mod_cluster MCMP in packet captures, diagnose mod_jk / mod_proxy_ajp logs\n\n' +
        'Usage:\n  ajp-inspect <capture|->            summary of a pcap / pcapng (.gz too) capture\n' +
        '  ajp-inspect <command> [options]',
    )
    .strict()
    .help('help')
    .alias('h', 'help')
    .version('version', 'print the version', TOOL_VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue(
      'Exit codes: 0 done and nothing found, 1 findings (or protocol errors), 2 could not analyse.\n' +
        'Reports: --format json writes the versioned report described in docs/report.md.',
    )
    .fail((msg, err, inst) => {
      failed = true;
      if (err) {
        // Errors thrown by a command: one line, no usage dump, no stack trace.
        const prefix = err instanceof UserError ? '' : 'internal error: ';
        process.stderr.write(`ajp-inspect: ${prefix}${describeError(err)}\n`);
      } else {
        inst.showHelp('error');
        process.stderr.write(`\najp-inspect: ${msg ?? describeError(err)}\n`);
      }
      code = EXIT_CANNOT_ANALYSE;
    });
  for (const c of commands as readonly CliCommand[]) {
    y.command(
      c.command as string | readonly string[],
      c.describe,
      (b) => c.builder(b),
      async (argv) => {
        code = await c.run(argv as Record<string, unknown>);
      },
    );
  }
  y.demandCommand(1, 'Give a capture file (or - for stdin), or a command; see --help.');
  try {
    await y.parseAsync();
  } catch (err) {
    if (!failed) process.stderr.write(`ajp-inspect: ${describeError(err)}\n`);
    return EXIT_CANNOT_ANALYSE;
  }
  return code;
}
