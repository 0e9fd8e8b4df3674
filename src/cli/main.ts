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
import { existsSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CliCommand } from './command.js';
import { EXIT_CANNOT_ANALYSE, UsageError, UserError } from './exit-codes.js';
import { TOOL_VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { applyOptions, inputPaths, optionWithValue, positionalNames, readCommonOptions, type CommonOptions } from './options.js';
import { openOutput } from './output.js';
import { fileKind, setCaptureProgress } from './io.js';
import { progressWanted } from './progress.js';
import { closest } from './suggest.js';

/** A command's first spelling (`frames <capture>`, `$0 <capture>`). */
function spellings(c: CliCommand): string[] {
  return typeof c.command === 'string' ? [c.command] : [...c.command];
}

/** Names a user types for the command (`frames`; the default command is also `inspect`). */
function namesOf(c: CliCommand): string[] {
  return spellings(c)
    .map((s) => s.split(' ')[0] ?? '')
    .filter((n) => n !== '$0' && n !== '');
}

function isDefault(c: CliCommand): boolean {
  return spellings(c).some((s) => s.startsWith('$0'));
}

interface OptionProbe {
  /** Long names and aliases. */
  names: Set<string>;
  /** Those that take a value. */
  valued: Set<string>;
}

/** yargs 18's usage settings, which @types/yargs does not describe yet. */
interface UsageConfigurable {
  usageConfiguration(c: { 'hide-types': boolean }): Argv;
}

/** yargs' own view of the options a command declares (its builder run on a scratch instance). */
interface YargsOptionsView {
  getOptions(): { key: Record<string, unknown>; boolean: string[] };
}

const probes = new Map<CliCommand, OptionProbe>();
function probe(c: CliCommand): OptionProbe {
  let p = probes.get(c);
  if (p !== undefined) return p;
  const y = yargs([]);
  c.builder(applyOptions(y, c.options ?? []));
  const view = (y as unknown as YargsOptionsView).getOptions();
  const positional = new Set(spellings(c).flatMap(positionalNames));
  const names = new Set(Object.keys(view.key).filter((k) => !positional.has(k) && k !== 'help' && k !== 'version'));
  const booleans = new Set(view.boolean);
  p = { names, valued: new Set([...names].filter((n) => !booleans.has(n))) };
  probes.set(c, p);
  return p;
}

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/** The help a usage error points to. */
function helpHint(c: CliCommand | undefined): string {
  return c === undefined || isDefault(c) ? "See 'ajp-inspect --help'." : `See 'ajp-inspect ${namesOf(c)[0] ?? ''} --help'.`;
}

/**
 * Which command the user meant, read before yargs: the first word that is not an option (or an
 * option's value). A word that is neither a command nor an existing file, but close to a command
 * name, is a mistyped command, not a capture (`frmes x.pcap` used to say "Unknown argument: x.pcap").
 */
function pickCommand(args: readonly string[]): CliCommand | undefined {
  const all = commands as readonly CliCommand[];
  const fallback = all.find(isDefault);
  const valued = new Set(all.flatMap((c) => [...probe(c).valued]));
  const known = new Set(all.flatMap((c) => [...probe(c).names]));
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const name = a.replace(/^--?/, '').split('=')[0] ?? '';
      if (a.startsWith('--') && !known.has(name) && !known.has(name.replace(/^no-/, ''))) {
        // An unknown option before the command: whether it takes a value is unknown; yargs names it.
        if (positional.length === 0) return fallback;
      }
      // `--output r.txt`, `-o r.txt`, and grouped short flags whose last one takes the value (`-qo r.txt`).
      const takesNext = a.startsWith('--') ? valued.has(name) : /^[A-Za-z]+$/.test(name) && valued.has(name.slice(-1));
      if (!a.includes('=') && takesNext) i++;
      continue;
    }
    positional.push(a);
  }
  const first = positional[0];
  if (first === undefined) return fallback;
  const named = all.find((c) => namesOf(c).includes(first));
  if (named !== undefined) return named;
  if (first === '-' || first === '' || existsSync(first)) return fallback;
  if (first === 'help' || first === 'version') throw new UsageError(`unknown command or file '${first}'; did you mean --${first}?`);
  const near = closest(first, all.flatMap(namesOf));
  if (near !== undefined) throw new UsageError(`unknown command or file '${first}'; did you mean '${near}'?`);
  if (positional.length > 1) throw new UsageError(`unknown command or file '${first}' (commands: ${all.flatMap(namesOf).join(', ')})`);
  return fallback;
}

/** One line for a yargs validation message (it would print the whole help and the message last). */
function usageLine(msg: string, args: readonly string[], c: CliCommand | undefined): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(msg);
  if (unknown !== null) {
    const listed = (unknown[1] ?? '').split(', ');
    const names = listed.filter((n) => !(/[A-Z]/.test(n) && listed.includes(kebab(n))));
    const extra = names.find((n) => args.includes(n));
    const opt = names.find((n) => !args.includes(n));
    if (opt !== undefined) {
      const mine = c === undefined ? [] : [...probe(c).names].filter((n) => n.length > 1);
      // `-ajp-port`: yargs reads a, j, p, … as short flags; the user meant the long option.
      const single = args.find((a) => /^-[A-Za-z][\w-]+$/.test(a) && a.includes(opt) && closest(a.slice(1), mine) !== undefined);
      if (single !== undefined) return `unknown option ${single}; did you mean -${single}?`;
      const cmdName = c === undefined ? undefined : isDefault(c) ? undefined : namesOf(c)[0];
      const elsewhere = (commands as readonly CliCommand[]).filter((x) => x !== c && probe(x).names.has(opt)).flatMap((x) => namesOf(x).slice(0, 1));
      if (elsewhere.length > 0) return `unknown option ${dashed(opt)}${cmdName === undefined ? '' : ` for ${cmdName}`} (it is an option of ${elsewhere.join(', ')})`;
      const asValue = optionWithValue(opt, c?.options ?? []);
      if (asValue !== undefined) return `unknown option ${dashed(opt)}; did you mean ${asValue}?`;
      const near = opt.length > 1 ? closest(opt, mine) : undefined;
      // yargs names `--no-colour` as `colour`: say what the user typed.
      const negated = args.some((a) => a === `--no-${opt}` || a.startsWith(`--no-${opt}=`));
      const shown = (n: string) => (negated ? `--no-${n}` : dashed(n));
      return `unknown option ${shown(opt)}${near === undefined ? '' : `; did you mean ${shown(near)}?`}`;
    }
    if (extra !== undefined) return `unexpected argument '${extra}'`;
  }
  const needs = /^Not enough arguments following: (.+)$/.exec(msg);
  if (needs !== null) return `${dashed(needs[1] ?? '')} needs a value`;
  if (/^Not enough non-option arguments/.test(msg)) {
    if (c === undefined || isDefault(c)) return 'give a capture file (or - for stdin), or a command';
    const first = spellings(c).flatMap(positionalNames)[0] ?? 'input';
    return `${namesOf(c)[0] ?? ''}: give a ${first} file (or - for stdin)`;
  }
  return msg.replace(/\s*\n\s*/g, '; ');
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
      const k = fileKind(path);
      if (k === undefined) continue;
      if (reads === 'capture' && k.kind === 'log') throw new UserError(`${path}: not a capture: looks like a log: use \`ajp-inspect diagnose ${path}\``);
      if (reads === 'log' && (k.kind === 'pcap' || k.kind === 'pcapng')) {
        throw new UserError(`${path}: this is a ${k.kind} capture: use \`ajp-inspect ${path}\` (or diagnose --capture ${path})`);
      }
    }
  }
  for (const path of o.logs) {
    const k = fileKind(path);
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
  const positionals = spellings(c).flatMap(positionalNames);
  checkInputKinds(c.reads, argv, positionals, o);
  const out = openOutput(o.output, inputPaths(argv, positionals, o));
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
      (b) => c.builder(applyOptions(b, c.options ?? [])),
      async (argv) => onCode(await runCommand(c, argv as Record<string, unknown>)),
    );
  }
  return y;
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
    process.stderr.write(errorLine(err, picked));
    return EXIT_CANNOT_ANALYSE;
  }
}
