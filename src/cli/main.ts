/**
 * The program's edge: argv in, one exit code out (exit-codes.ts). Never throws, never prints a
 * stack trace: a usage error is one line with where to look (`See 'ajp-inspect frames --help'.`),
 * "did you mean" for a mistyped command or option; an input or output problem is one line.
 *
 * For each command: the shared options its `options` list names are declared (options.ts), then
 * its builder adds its positionals and own options; before it runs, the shared options are read
 * once into a typed CommonOptions, the inputs' kinds are checked (a log given as a capture and the
 * reverse get a hint), the -o output is opened (never onto an input, the folder checked before the
 * analysis), and the progress line is set up for the capture reads.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CliCommand } from './command.js';
import { EXIT_CANNOT_ANALYSE, UsageError, UserError } from './exit-codes.js';
import { restoreRunFlags } from './heap.js';
import { TOOL_VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { applyOptions, inputPaths, positionalNames, readCommonOptions, type CommonOptions } from './options.js';
import { openOutput, setOutputGuard, guardText } from './output.js';
import { inputSecrets } from '../util/secrets.js';

import { colorFor, fileKind, setCaptureProgress } from './io.js';
import { progressWanted } from './progress.js';
import { helpHint, namesOf, pickCommand, spellings, usageLine } from './usage.js';

/** yargs 18's usage settings, which @types/yargs does not describe yet. */
interface UsageConfigurable {
  usageConfiguration(c: { 'hide-types': boolean }): Argv;
}

/**
 * A file of the wrong kind gets a hint instead of "not a capture" / "no log line recognised": a
 * log given as a capture, a capture given as a log. Inputs that cannot be read are left to the
 * command's reader, which names the problem.
 */
function checkInputKinds(reads: CliCommand['reads'], argv: Readonly<Record<string, unknown>>, positionals: readonly string[], o: CommonOptions): void {
  const listed = (name: string): string[] => {
    const v = argv[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  };
  for (const p of positionals) {
    for (const path of listed(p)) {
      // (only a command reading a capture asks whether it was given a log)
      const k = fileKind(path, reads === 'capture');
      if (k === undefined) continue;
      if (reads === 'capture' && k.kind === 'log') throw new UserError(`${path}: not a capture: looks like a log: use \`ajp-inspect diagnose ${path}\``);
      if (reads === 'log' && (k.kind === 'pcap' || k.kind === 'pcapng')) {
        throw new UserError(`${path}: this is a ${k.kind} capture: use \`ajp-inspect ${path}\` (or diagnose --capture ${path})`);
      }
    }
  }
  for (const path of o.logs) {
    const k = fileKind(path, false);
    if (k?.kind === 'pcap' || k?.kind === 'pcapng') throw new UserError(`--log ${path}: this is a ${k.kind} capture, not a log: give it as the capture (\`ajp-inspect ${path}\`)`);
  }
  for (const path of o.captures) {
    if (fileKind(path)?.kind === 'log') throw new UserError(`--capture ${path}: not a capture: looks like a log: give it as a log (\`ajp-inspect diagnose ${path}\`)`);
  }
}

/**
 * Runs one command with everything main.ts does around it (shared options read once, input kinds
 * checked, output opened and committed, progress set up); returns its exit code. Exported for tests
 * that run a command in-process with an argv as yargs would hand it over.
 */
export async function runCommand(c: CliCommand, argv: Record<string, unknown>): Promise<number> {
  const o = readCommonOptions(argv, c.options ?? []);
  kind = `${namesOf(c)[0] ?? '?'}:${o.format}`;
  const positionals = spellings(c).flatMap(positionalNames);
  checkInputKinds(c.reads, argv, positionals, o);
  const out = openOutput(o.output, inputPaths(argv, positionals, o));
  // Secret values are collected afresh for each run (util/secrets.ts), and scrubbed from all it prints.
  inputSecrets.clear();
  setOutputGuard({ showSecrets: o.showSecrets, color: colorFor(argv, o.output) });
  const progress = progressWanted({
    stderrTty: process.stderr.isTTY === true,
    stdoutTty: process.stdout.isTTY === true,
    quiet: o.quiet,
    outputToStdout: out.toStdout,
    streamsOutput: c.streamsOutput === true,
    env: process.env,
  });
  setCaptureProgress(progress ? { stream: process.stderr } : undefined);
  try {
    const code = await c.run(argv, o, out);
    out.commit();
    return code;
  } catch (err) {
    out.discard();
    throw err;
  } finally {
    setCaptureProgress(undefined);
    // Before cli.ts writes the code cache: V8 rejects one made under other flags (cli/heap.ts).
    restoreRunFlags();
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The line printed for an error: usage errors end with where to look. */
function errorLine(err: unknown, c: CliCommand | undefined): string {
  if (err instanceof UsageError) {
    const m = err.message;
    return `ajp-inspect: ${m}${/[.?!]$/.test(m) ? '' : '.'} ${helpHint(c)}\n`;
  }
  if (err instanceof UserError) return `ajp-inspect: ${err.message}\n`;
  return `ajp-inspect: internal error: ${describeError(err)}\n`;
}

function build(args: string[], picked: CliCommand | undefined, onCode: (code: number) => void): Argv {
  const base = yargs(args);
  // No [string] / [boolean] / [number] after each option: the help text says what a value is, and its default.
  (base as unknown as UsageConfigurable).usageConfiguration({ 'hide-types': true });
  const y = base
    .scriptName('ajp-inspect')
    .usage(
      'ajp-inspect: decode AJP13 and mod_cluster MCMP in packet captures, diagnose mod_jk / mod_proxy_ajp logs\n\n' +
        'Usage:\n  ajp-inspect <capture|->            summary of a pcap / pcapng (.gz too) capture\n' +
        '  ajp-inspect <command> [options]    (ajp-inspect <command> --help: its options)',
    )
    .strict()
    .help('help', 'print this help')
    .alias('h', 'help')
    .version('version', 'print the version', TOOL_VERSION)
    .group(['help', 'version'], 'General:')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue(
      'Exit codes: 0 analysed, nothing at or above --fail-on; 1 findings at or above --fail-on; ' +
        '2 could not analyse (usage error, unreadable or wrong input, output not writable).\n' +
        'Reports: -T json writes the versioned report described in docs/report.md; -o FILE writes it atomically, never onto an input.',
    )
    .fail((msg, err) => {
      // Thrown, not printed: main() prints one line (yargs would print the whole help first).
      // yargs' own validation errors (YError, e.g. "Not enough arguments following") are usage errors.
      if (err && err.name !== 'YError') throw err;
      throw new UsageError(usageLine(msg ?? err?.message ?? 'bad command line', args, picked));
    });
  for (const c of commands as readonly CliCommand[]) {
    y.command(
      c.command as string | readonly string[],
      c.describe,
      (b) => c.builder(applyOptions(b, c.options ?? [], c.formats)),
      async (argv) => onCode(await runCommand(c, argv as Record<string, unknown>)),
    );
  }
  return y;
}

let kind = 'none';

/**
 * What the last command run was, as "<command>:<format>" ('none' before one ran: help, a usage
 * error): each kind runs its own part of the code, which launch.ts adds to the code cache the
 * first time it sees that kind.
 */
export function runKind(): string {
  return kind;
}

/** Parses argv, runs the chosen command, and returns the process exit code. Never throws. */
export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  let picked: CliCommand | undefined;
  let code = EXIT_CANNOT_ANALYSE;
  try {
    const asksHelp = args.some((a) => a === '--help' || a === '-h' || a === '--version');
    picked = asksHelp ? undefined : pickCommand(args);
    await build(args, picked, (c) => (code = c)).parseAsync();
    if (asksHelp) return 0;
    return code;
  } catch (err) {
    process.stderr.write(guardText(errorLine(err, picked)));
    return EXIT_CANNOT_ANALYSE;
  }
}
