/**
 * Understanding a mistyped command line, for main.ts: which command the user meant (a mistyped
 * command name is not a capture file), and one line for each of yargs' validation messages (an
 * unknown option with the nearest one of this command, or the commands it belongs to; an
 * unexpected argument; an option without its value; a missing input), instead of the whole help.
 */
import { existsSync } from 'node:fs';
import type { Argv, Options } from 'yargs';
import type { CliCommand } from './command.js';
import { UsageError } from './exit-codes.js';
import { commands } from './commands/index.js';
import { applyOptions, optionWithValue, positionalNames } from './options.js';
import { closest } from './suggest.js';

/** A command's first spelling (`frames <capture>`, `$0 <capture>`). */
export function spellings(c: CliCommand): string[] {
  return typeof c.command === 'string' ? [c.command] : [...c.command];
}

/** Names a user types for the command (`frames`; the default command is also `inspect`). */
export function namesOf(c: CliCommand): string[] {
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

/**
 * The options a command declares, as its builder declares them: the builder is run on a recorder
 * that takes `option(name, {alias, type})` calls and answers every other call with itself. A scratch
 * yargs instance per command did the same at ~3 ms each, on every start (nine commands);
 * test/cli/usage.test.ts checks the recorder against yargs' own view of every command.
 */
export function probe(c: CliCommand): OptionProbe {
  let p = probes.get(c);
  if (p !== undefined) return p;
  const names = new Set<string>();
  const booleans = new Set<string>();
  const record = (name: string, o: Options | undefined): void => {
    const all = [name, ...(o?.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias : [o.alias])];
    for (const n of all) {
      names.add(n);
      if (o?.type === 'boolean') booleans.add(n);
    }
  };
  const recorder: Argv = new Proxy({} as Argv, {
    get: (_t, prop) =>
      prop === 'option' || prop === 'options'
        ? (name: string | Record<string, Options>, o?: Options) => {
            if (typeof name === 'string') record(name, o);
            else for (const [k, v] of Object.entries(name)) record(k, v);
            return recorder;
          }
        : () => recorder,
  });
  c.builder(applyOptions(recorder, c.options ?? [], c.formats));
  const positional = new Set(spellings(c).flatMap(positionalNames));
  for (const n of positional) names.delete(n);
  names.delete('help');
  names.delete('version');
  p = { names, valued: new Set([...names].filter((n) => !booleans.has(n))) };
  probes.set(c, p);
  return p;
}

const probes = new Map<CliCommand, OptionProbe>();

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/** The help a usage error points to. */
export function helpHint(c: CliCommand | undefined): string {
  return c === undefined || isDefault(c) ? "See 'ajp-inspect --help'." : `See 'ajp-inspect ${namesOf(c)[0] ?? ''} --help'.`;
}

/**
 * Which command the user meant, read before yargs: the first word that is not an option (or an
 * option's value). A word that is neither a command nor an existing file, but close to a command
 * name, is a mistyped command, not a capture (`frmes x.pcap` used to say "Unknown argument: x.pcap").
 */
export function pickCommand(args: readonly string[]): CliCommand | undefined {
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
export function usageLine(msg: string, args: readonly string[], c: CliCommand | undefined): string {
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
