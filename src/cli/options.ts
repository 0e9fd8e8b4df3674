/**
 * The command-line options every command shares, declared once: name, alias, kind, default, help
 * text and parser. main.ts applies to each command the options its `options` list names (so
 * `frames -o`, `timeline --idle`, `mcmp --ajp-port` exist because the list says so, not because a
 * builder remembered them), and reads them from argv once, into one typed `CommonOptions`, before
 * the command runs; a bad value is a one-line UsageError (exit 2) before any input is read.
 *
 * Kinds:
 *  - `value`: given at most once. yargs joins a repeated option into an array (`-o a -o b`), which
 *    used to reach the command as the single value "a,b"; here it is a usage error.
 *  - `list`: repeatable; with `commas`, each value may also be a comma list (`--ajp-port 8009,18009`
 *    and `--ajp-port 8009 --ajp-port 18009` are the same).
 *  - `flag`: a boolean; repeating it changes nothing.
 */
import type { Argv, Options } from 'yargs';
import { zoneClock } from '../logs/index.js';
import { renderers, type Severity } from '../report/index.js';
import { UsageError } from './exit-codes.js';
import { closest } from './suggest.js';

/** A `-T` value: the name of one of report/'s renderers (text, json, …). */
export type Format = string;
export type ColorMode = 'auto' | 'always' | 'never';
/** Frame times as tshark's `-t`: relative to the first packet, absolute, absolute with date, UTC, UTC with date, epoch. */
export type TimeFormat = 'r' | 'a' | 'ad' | 'u' | 'ud' | 'e';

/** Every shared option's value once parsed, defaults applied. */
export interface OptionValues {
  format: Format;
  /** The report file; undefined for stdout (no -o, or `-o -`). */
  output: string | undefined;
  color: ColorMode;
  failOn: Severity;
  ajpPorts: number[];
  mcmpPorts: number[];
  packetSize: number;
  /** Seconds of silence on a connection reported as an idle period. */
  idle: number;
  showSecrets: boolean;
  /** `--log` files of the same incident (`-` is stdin). */
  logs: string[];
  /** `--capture` files (diagnose). */
  captures: string[];
  /** `--config` files (workers.properties, httpd configuration, server.xml …) of the same setup. */
  configs: string[];
  logTz: string | undefined;
  timeFormat: TimeFormat;
  quiet: boolean;
}

export type OptionKey = keyof OptionValues;

/** What a command receives: the shared options, parsed once, and which of them the user gave. */
export interface CommonOptions extends OptionValues {
  /** Options given on the command line (the rest hold their defaults). */
  given: ReadonlySet<OptionKey>;
}

interface Spec<T> {
  /** Long name on the command line. */
  name: string;
  alias?: string;
  kind: 'value' | 'list' | 'flag';
  /** list: each value may be a comma list. */
  commas?: boolean;
  /** The values a choice option takes (for "did you mean --format json" after `--json`). */
  choices?: readonly string[];
  describe: string;
  /** Shown as [default: …] in --help. */
  defaultText?: string;
  default: () => T;
  /** Turns the given strings (one for `value`, one or more for `list`, 'true'/'false' for `flag`) into the value; throws UsageError. */
  parse: (values: string[], label: string) => T;
}

type Specs = { [K in OptionKey]: Spec<OptionValues[K]> };

/** `ajp-port` → `ajpPort`, as yargs-parser names the camelCase key. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `-o/--output` as the user may have typed it. */
function label(s: { name: string; alias?: string }): string {
  return s.alias === undefined ? `--${s.name}` : `-${s.alias}/--${s.name}`;
}

function choice<T extends string>(choices: readonly T[]): (values: string[], label: string) => T {
  return ([v = ''], lbl) => {
    const hit = choices.find((c) => c === v);
    if (hit !== undefined) return hit;
    const near = closest(v, choices);
    throw new UsageError(`${lbl}: '${v}' is not one of ${choices.join(', ')}${near === undefined ? '' : `; did you mean '${near}'?`}`);
  };
}

/** An option taking one of `choices`; --help says `what: a | b | c (note)`. */
function oneOf<T extends string>(name: string, choices: readonly T[], dflt: T, what: string, note: string, alias?: string): Spec<T> {
  const describe = `${what}: ${choices.join(' | ')}${note === '' ? '' : ` (${note})`}`;
  const s: Spec<T> = { name, kind: 'value', describe, choices, defaultText: dflt, default: () => dflt, parse: choice(choices) };
  if (alias !== undefined) s.alias = alias;
  return s;
}

/** A boolean switch (repeating it changes nothing; `--no-NAME` turns it off). */
function flag(name: string, describe: string, alias?: string): Spec<boolean> {
  const s: Spec<boolean> = { name, kind: 'flag', describe, default: () => false, parse: (values) => values.includes('true') };
  if (alias !== undefined) s.alias = alias;
  return s;
}

/** TCP ports, from values already split at commas. */
export function parsePortValues(values: readonly string[], lbl: string): number[] {
  const ports: number[] = [];
  for (const raw of values) {
    const item = raw.trim();
    if (item === '') continue;
    const n = Number(item);
    if (!/^\d+$/.test(item) || !Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${lbl}: "${item}" is not a TCP port (1-65535)`);
    if (!ports.includes(n)) ports.push(n);
  }
  return ports;
}

function stdinOrPath(v: string): string {
  // yargs-parser hands a lone '-' over as '' in some positions: both mean stdin.
  return v === '' ? '-' : v;
}

const CAPTURE_TIME_FORMATS: readonly TimeFormat[] = ['r', 'a', 'ad', 'u', 'ud', 'e'];

/** The shared options. Order here is the order in --help. */
export const OPTION_SPECS: Specs = {
  format: oneOf<Format>('format', renderers.map((r) => r.format), 'text', 'output format', renderers.map((r) => `${r.format}: ${r.describe}`).join('; '), 'T'),
  output: {
    name: 'output',
    alias: 'o',
    kind: 'value',
    describe: 'write the output to FILE (atomically; never onto an input), or - for stdout',
    defaultText: 'stdout',
    default: () => undefined,
    parse: ([v = ''], lbl) => {
      if (v === '') throw new UsageError(`${lbl} needs a file name (or - for stdout)`);
      return v === '-' ? undefined : v;
    },
  },
  color: {
    ...oneOf<ColorMode>('color', ['auto', 'always', 'never'], 'auto', 'colours in text output', 'auto: on a terminal, unless NO_COLOR is set; --no-color = never'),
    // yargs reads `--no-color` as color=false: what a user typing it means is "never".
    parse: ([v = ''], lbl) => choice<ColorMode>(['auto', 'always', 'never'])([v === 'false' ? 'never' : v], lbl),
  },
  failOn: oneOf<Severity>('fail-on', ['error', 'warning', 'info'], 'warning', 'exit 1 when a finding has at least this severity', 'client aborts are info'),
  ajpPorts: {
    name: 'ajp-port',
    kind: 'list',
    commas: true,
    describe: 'TCP port carrying AJP (repeatable, or a comma list: 8009,18009); AJP elsewhere is found by content',
    defaultText: '8009',
    default: () => [8009],
    parse: (values, lbl) => {
      const ports = parsePortValues(values, lbl);
      if (!ports.length) throw new UsageError(`${lbl} needs a TCP port`);
      return ports;
    },
  },
  mcmpPorts: {
    name: 'mcmp-port',
    kind: 'list',
    commas: true,
    describe: 'also take requests with unknown methods to this port as mod_cluster MCMP (repeatable, or a comma list); MCMP methods are found on any port',
    default: () => [],
    parse: parsePortValues,
  },
  packetSize: {
    name: 'packet-size',
    kind: 'value',
    describe: 'negotiated AJP packet size in bytes, 1024-65536 (Tomcat packetSize, mod_jk max_packet_size, ProxyIOBufferSize)',
    defaultText: '8192',
    default: () => 8192,
    parse: ([v = ''], lbl) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n < 1024 || n > 65536) throw new UsageError(`${lbl}: "${v}" is not a packet size (an integer from 1024 to 65536)`);
      return n;
    },
  },
  idle: {
    name: 'idle',
    kind: 'value',
    describe: 'seconds of silence on a connection reported as an idle period',
    defaultText: '30',
    default: () => 30,
    parse: ([v = ''], lbl) => {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${lbl}: "${v}" is not a positive number of seconds`);
      return n;
    },
  },
  showSecrets: flag('show-secrets', 'show Cookie, Authorization, Set-Cookie values and the AJP secret (redacted by default)'),
  logs: {
    name: 'log',
    kind: 'list',
    describe: 'mod_jk / httpd / Tomcat log of the same incident (repeatable; - for stdin): diagnosed together with the capture',
    default: () => [],
    parse: (values, lbl) => {
      const logs = values.map(stdinOrPath);
      if (logs.filter((l) => l === '-').length > 1) throw new UsageError(`${lbl}: stdin (-) can be given only once`);
      return logs;
    },
  },
  captures: {
    name: 'capture',
    kind: 'list',
    describe: 'a capture of the same incident (pcap / pcapng, gzip allowed; repeatable): its evidence confirms or adds findings',
    default: () => [],
    parse: (values, lbl) => {
      const captures = values.map(stdinOrPath);
      if (captures.includes('-')) throw new UsageError(`${lbl} needs a file (stdin is for the logs)`);
      return captures;
    },
  },
  configs: {
    name: 'config',
    kind: 'list',
    describe: 'configuration of the same setup (workers.properties, uriworkermap, httpd conf, server.xml, standalone.xml, isapi_redirect.properties; repeatable): checked, and quoted in the findings it concerns',
    default: () => [],
    parse: (values, lbl) => {
      const files = values.map(stdinOrPath);
      if (files.includes('-')) throw new UsageError(`${lbl} needs a file (stdin is for the main input; \`ajp-inspect config -\` reads a configuration from stdin)`);
      return files;
    },
  },
  logTz: {
    name: 'log-tz',
    kind: 'value',
    describe: "time zone of the log stamps: IANA name (Europe/Berlin), UTC, or ±hh:mm (default: this machine's zone)",
    default: () => undefined,
    parse: ([v = ''], lbl) => {
      try {
        zoneClock(v);
      } catch {
        throw new UsageError(`${lbl}: "${v}" is not a time zone (an IANA name such as Europe/Berlin, UTC, or ±hh:mm)`);
      }
      return v;
    },
  },
  timeFormat: oneOf<TimeFormat>(
    'time-format',
    CAPTURE_TIME_FORMATS,
    'r',
    "frame times as tshark's -t",
    'relative to the first packet, absolute, absolute with date, UTC, UTC with date, epoch',
    't',
  ),
  quiet: flag('quiet', 'no progress display on stderr (errors and warnings are still printed)', 'q'),
};

/** The options of every command that reads a capture: the default command, frames, timeline, mcmp. */
export const CAPTURE_OPTIONS: readonly OptionKey[] = [
  'format', 'output', 'color', 'failOn', 'ajpPorts', 'mcmpPorts', 'packetSize', 'idle', 'showSecrets', 'logs', 'configs', 'logTz', 'timeFormat', 'quiet',
];

/** The options of `diagnose` (logs first; `--capture` adds a capture, read with the capture options). */
export const DIAGNOSE_OPTIONS: readonly OptionKey[] = [
  'format', 'output', 'color', 'failOn', 'captures', 'configs', 'ajpPorts', 'mcmpPorts', 'packetSize', 'idle', 'showSecrets', 'logTz', 'quiet',
];

/** The options of `config` (configuration files only; logs and captures go to diagnose and the default command with --config). */
export const CONFIG_OPTIONS: readonly OptionKey[] = ['format', 'output', 'color', 'failOn'];

const SHARED_GROUP = 'Options:';

/** Declares the named shared options on a command's yargs builder. */
export function applyOptions(y: Argv, keys: readonly OptionKey[], formats?: { readonly choices: readonly string[]; readonly note?: string }): Argv {
  for (const key of keys) {
    const s: Spec<unknown> = OPTION_SPECS[key];
    // (a command that writes fewer formats lists those: its help must not offer what it refuses)
    const describe = key === 'format' && formats !== undefined ? `output format: ${formats.choices.join(' | ')}${formats.note === undefined ? '' : ` (${formats.note})`}` : s.describe;
    const o: Options = {
      describe:
        describe +
        (s.kind === 'list' && !s.describe.includes('repeatable') ? ' (repeatable)' : '') +
        (s.defaultText === undefined ? '' : ` [default: ${s.defaultText}]`),
      group: SHARED_GROUP,
    };
    if (s.alias !== undefined) o.alias = s.alias;
    if (s.kind === 'flag') o.type = 'boolean';
    else {
      // Strings, parsed here: a number option given "abc" must say so, not become NaN.
      o.type = 'string';
      o.requiresArg = true;
    }
    y.option(s.name, o);
  }
  return y;
}

/**
 * Reads the shared options a command declared from yargs' argv, once: repeated single-value
 * options, bad values and empty lists are a UsageError; what was not given takes its default.
 */
export function readCommonOptions(argv: Readonly<Record<string, unknown>>, keys: readonly OptionKey[]): CommonOptions {
  const values: Partial<Record<OptionKey, unknown>> = {};
  const given = new Set<OptionKey>();
  for (const key of Object.keys(OPTION_SPECS) as OptionKey[]) {
    const s: Spec<unknown> = OPTION_SPECS[key];
    // yargs fills the camelCase key for every spelling it accepts (`--ajp-port`, `--AJP-PORT`, the
    // alias), so that one is read first; an argv built by hand (a test) may have the name or the alias.
    const raw = keys.includes(key) ? (argv[camelCase(s.name)] ?? argv[s.name] ?? (s.alias === undefined ? undefined : argv[s.alias])) : undefined;
    if (raw === undefined) {
      values[key] = s.default();
      continue;
    }
    given.add(key);
    const lbl = label(s);
    let strings = (Array.isArray(raw) ? raw : [raw]).map((v: unknown) => String(v));
    if (s.kind === 'value' && strings.length > 1) {
      throw new UsageError(`${lbl} given ${strings.length} times (${strings.map((v) => `'${v}'`).join(', ')}): give it once`);
    }
    if (s.kind === 'list' && s.commas === true) strings = strings.flatMap((v) => v.split(','));
    values[key] = s.parse(strings, lbl);
  }
  return { ...(values as OptionValues), given };
}

/** `--json` typed for `--format json`: the option among `keys` that takes `value` as a choice, as the user would type it. */
export function optionWithValue(value: string, keys: readonly OptionKey[]): string | undefined {
  for (const key of keys) {
    const s: Spec<unknown> = OPTION_SPECS[key];
    if (s.choices?.includes(value) === true) return `--${s.name} ${value}`;
  }
  return undefined;
}

/** A positional name in a yargs command string: `diagnose <log> [more..]` → ['log', 'more']. */
export function positionalNames(command: string): string[] {
  return [...command.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1] ?? '');
}

/**
 * Every file the command will read (positionals and --log / --capture), `-` for stdin; what `-o`
 * must never overwrite and what the file-kind checks look at.
 */
export function inputPaths(argv: Readonly<Record<string, unknown>>, positionals: readonly string[], o: OptionValues): string[] {
  const out: string[] = [];
  for (const p of positionals) {
    const v = argv[p];
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) if (typeof x === 'string') out.push(stdinOrPath(x));
  }
  out.push(...o.logs, ...o.captures, ...o.configs);
  return out;
}

/**
 * The commands whose output is not a report of root causes (frames, timeline, mcmp, rules) write
 * text or JSON only: another renderer's format is a usage error there, not silently text.
 */
export function textOrJson(format: Format, command: string): 'text' | 'json' {
  if (format === 'text' || format === 'json') return format;
  throw new UsageError(`-T ${format}: ${command} writes text or json (-T ${format} is for the capture report and diagnose)`);
}

/** The capture positionals of every capture command: one file, or the files of a rotation. */
export const CAPTURE_POSITIONAL = '<capture> [more..]';
export const CAPTURE_DESCRIBE = 'pcap / pcapng file (gzip allowed), or - for stdin';
export const MORE_CAPTURES_DESCRIBE = 'more files of the same capture (a tcpdump -C / -G rotation), read as one in time order';

/** `--conn N` of frames and timeline: a tcp.stream number, as Wireshark numbers them. */
// (read as a string: yargs turns `--conn abc` of a number option into NaN, and the error would say NaN)
export const CONN_OPTION = { type: 'string', describe: 'only this connection (its tcp.stream number, as in Wireshark)' } as const;

/** The `--conn` value, checked: undefined when not given. */
export function connArg(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--conn must be a tcp.stream number, not ${text === '' ? 'nothing' : text}`);
  return Number(text);
}

/** The -T values of the commands that write text or JSON only (textOrJson). */
export const TEXT_OR_JSON = { choices: ['text', 'json'] } as const;
