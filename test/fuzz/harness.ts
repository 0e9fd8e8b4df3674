/**
 * The fuzz harness (issue 15): runs the CLI's commands in-process on one input, as `main.ts` would
 * (shared options read once, the command's `run`, its output captured), and checks the outcome:
 *
 *  - no exception escapes (a `UserError` — one line, exit 2 — is a clean refusal, not an escape);
 *  - no output (stdout, stderr, an error line) shows `undefined`, `NaN`, `Infinity` or
 *    `[object Object]` that the input did not contain itself;
 *  - JSON output parses (NDJSON for `frames`), and the report is valid against docs/report.schema.json;
 *  - no known secret value of the input appears in any output;
 *  - time and memory stay within a bound (measured, reported: a fuzz case is never a timed test).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlib, gunzipSync } from 'node:zlib';
import { commands } from '../../src/cli/commands/index.js';
import type { CliCommand } from '../../src/cli/command.js';
import { UserError } from '../../src/cli/exit-codes.js';
import { readCommonOptions } from '../../src/cli/options.js';
import { guardText, setOutputGuard, type Output } from '../../src/cli/output.js';
import { inputSecrets } from '../../src/util/secrets.js';
import { validate, type Schema } from '../helpers/json-schema.js';
import { root } from '../helpers/cli.js';
import { FUZZ_SECRETS } from './mutate.js';

export const BAD_TOKENS = ['undefined', 'NaN', 'Infinity', '[object Object]'] as const;
const BAD_RE = /\bundefined\b|\bNaN\b|\bInfinity\b|\[object Object\]/;

// The tool's own words: "undefined workers" (jk-config-unknown-worker), and the dynamic linker's
// "undefined symbol" it explains (module-load-failure) when a mutation damaged the input's own copy.
const OWN_WORDS = /undefined (?:workers?|symbol)\b/g;

const schema = JSON.parse(readFileSync(join(root, 'docs', 'report.schema.json'), 'utf8')) as Schema;

class Capture implements Output {
  readonly toStdout = true;
  chunks: string[] = [];
  write(text: string): void {
    // As main.ts's outputs write: through the one guard (secrets scrubbed, control characters escaped).
    this.chunks.push(guardText(text));
  }
  writeGuarded(bytes: Uint8Array): void {
    this.chunks.push(Buffer.from(bytes).toString('utf8'));
  }
  commit(): void {}
  discard(): void {}
}

export interface Variant {
  /** The command's first spelling ('$0 …' for the default command). */
  command: string;
  /** argv as yargs hands it over (option names in kebab-case, as typed). */
  args: Record<string, unknown>;
  /** What the stdout is: 'text', 'json' (one document, the report), 'ndjson' (frames), 'doc' (another JSON document). */
  output: 'text' | 'json' | 'ndjson' | 'doc';
}

export interface Outcome {
  variant: string;
  ms: number;
  /** The process's RSS after the case (a process-wide figure: it never goes down). */
  rssMb: number;
  /** How much the case grew the process's RSS (what it added over what the process already held). */
  rssGrowthMb: number;
  code?: number;
  /** The message of an exception other than UserError. */
  escape?: string;
  /** A UserError's line. */
  refused?: string;
  badToken?: string;
  badJson?: string;
  leak?: string;
  stdout: string;
  stderr: string;
}

const byName = (name: string): CliCommand => {
  const c = commands.find((x) => (Array.isArray(x.command) ? x.command : [x.command]).some((s: string) => s.split(' ')[0] === name));
  if (c === undefined) throw new Error(`no command ${name}`);
  return c;
};

/** Runs one command on `argv` in-process and checks what it printed. */
export async function runVariant(v: Variant, inputText: string, secrets: readonly string[]): Promise<Outcome> {
  const c = byName(v.command);
  const out = new Capture();
  const err: string[] = [];
  const origErr = process.stderr.write.bind(process.stderr);
  const rss0 = process.memoryUsage().rss / 1048576;
  const t0 = performance.now();
  const o: Outcome = { variant: `${v.command} ${JSON.stringify(v.args)}`, ms: 0, rssMb: 0, rssGrowthMb: 0, stdout: '', stderr: '' };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const opts = readCommonOptions(v.args, c.options ?? []);
    // What main.ts's runCommand does before a command runs.
    inputSecrets.clear();
    setOutputGuard({ showSecrets: opts.showSecrets, color: false });
    o.code = await c.run(v.args, opts, out);
  } catch (e) {
    if (e instanceof UserError) o.refused = guardText(e.message);
    else o.escape = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    process.stderr.write = origErr;
  }
  o.ms = performance.now() - t0;
  o.rssMb = process.memoryUsage().rss / 1048576;
  o.rssGrowthMb = Math.max(0, o.rssMb - rss0);
  o.stdout = out.chunks.join('');
  o.stderr = err.join('');
  const all = `${o.stdout}\n${o.stderr}\n${o.refused ?? ''}`;
  // The tool's own words ("undefined workers": jk-config-unknown-worker) are not bad tokens.
  const bad = BAD_RE.exec(all.replace(OWN_WORDS, ''));
  if (bad !== null && !inputText.includes(bad[0])) {
    const at = bad.index;
    o.badToken = `${bad[0]} in «${all.slice(Math.max(0, at - 120), at + 60)}»`;
  }
  if (o.refused !== undefined && o.refused.includes('\n')) o.badToken = `multi-line error: ${o.refused.slice(0, 200)}`;
  for (const s of secrets) if (all.includes(s)) o.leak = `${s} in «${all.slice(Math.max(0, all.indexOf(s) - 120), all.indexOf(s) + s.length + 20)}»`;
  if (o.escape === undefined && o.refused === undefined && v.output !== 'text') {
    try {
      if (v.output === 'ndjson') {
        for (const line of o.stdout.split('\n')) if (line !== '') JSON.parse(line);
      } else {
        const doc = JSON.parse(o.stdout) as unknown;
        if (v.output === 'json') {
          const errors = validate(schema, doc);
          if (errors.length > 0) o.badJson = `schema: ${errors[0]!.path} ${errors[0]!.message}`;
        }
      }
    } catch (e) {
      o.badJson = e instanceof Error ? e.message : String(e);
    }
  }
  return o;
}

/** The command variants a capture case goes through (one per case, in turn, so every one gets its share). */
export function captureVariants(path: string, ports: Record<string, unknown>): Variant[] {
  const base = { capture: path, ...ports };
  return [
    { command: '$0', args: { ...base, format: 'text' }, output: 'text' },
    { command: '$0', args: { ...base, format: 'json' }, output: 'json' },
    { command: 'frames', args: { ...base, verbose: true }, output: 'text' },
    { command: 'frames', args: { ...base, format: 'json' }, output: 'ndjson' },
    { command: 'timeline', args: { ...base, verbose: true }, output: 'text' },
    { command: 'timeline', args: { ...base, format: 'json' }, output: 'doc' },
    { command: 'mcmp', args: { ...base }, output: 'text' },
    { command: 'mcmp', args: { ...base, format: 'json' }, output: 'json' },
  ];
}

export function logVariants(path: string, tz = 'UTC'): Variant[] {
  return [
    { command: 'diagnose', args: { log: path, 'log-tz': tz }, output: 'text' },
    { command: 'diagnose', args: { log: path, format: 'json', 'log-tz': tz }, output: 'json' },
  ];
}

/** A temporary folder for the cases' input files, removed by `done()`. */
export function caseDir(): { file(name: string, data: Buffer | string): string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ajp-fuzz-'));
  return {
    file(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    done() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The secret values of the samples and of the fuzz's own secret lines (mutate.ts FUZZ_SECRETS). */
const KNOWN = ['s3cr3t-of-tomcat', 'not-the-tomcat-secret', ...FUZZ_SECRETS];

/**
 * The known secret values an input (a mutated one) still shows in a form that says what they are:
 * within 6 characters of the line after `secret` / `password` / `with value` / `->` / `Basic` /
 * `jsessionid` / `cookie` (`secret=`, `Basic "`, `Basic \xc3"` with an odd byte between), or as an
 * AJP attribute 0x0C (code, 2-byte length, value). A mutation that destroyed the keyword left a bare
 * string no reader could know for a secret: not counted (the tool cannot be asked to hide it).
 */
export function secretsIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/JSESSIONID=([0-9A-F]{32}(?:\.\w+)?)/g)) found.add(m[1]!);
  for (const s of KNOWN) {
    if (!text.includes(s)) continue;
    const re = new RegExp(`(?:secret|passw\\w*|value|->|jsessionid|basic|cookie|\\x0c[\\s\\S]{2})[^\\r\\n]{0,6}${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i');
    if (re.test(text)) found.add(s);
  }
  return [...found];
}

/**
 * A capture case's bytes as the tool reads them, for the bad-token and secret checks: a gzip case
 * gunzipped (as far as it goes: a cut or damaged one gives what inflates), else the bytes, as latin1.
 * Without this a `NaN` the mutation wrote inside a gzipped capture counted as the tool's, and the
 * secrets of a gzipped capture were never looked for.
 */
export function inputText(bytes: Buffer): string {
  let b = bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = gunzipSync(b, { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      // damaged deflate data: the tool refuses or reads what it can; the raw bytes are what we have
    }
  }
  // A UTF-16 log (with or without BOM: NULs in every other byte) is also read as text.
  let oddNul = 0;
  let evenNul = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) if (b[i] === 0) i % 2 === 1 ? oddNul++ : evenNul++;
  const latin = b.toString('latin1');
  if (oddNul > n / 8) return `${latin}\n${b.toString('utf16le')}`;
  if (evenNul > n / 8 && b.length > 1) return `${latin}\n${Buffer.from(b.subarray(0, b.length & ~1)).swap16().toString('utf16le')}`;
  return latin;
}

/** Per-target counts, as `npm run fuzz` prints them. */
export interface Tally {
  cases: number;
  escapes: number;
  refused: number;
  badTokens: number;
  badJson: number;
  leaks: number;
  overTime: number;
  overMemory: number;
  maxMs: number;
  maxRssMb: number;
  maxGrowthMb: number;
  maxBytes: number;
  /** The first few failures, with the seed that replays each. */
  failures: string[];
}

export const newTally = (): Tally => ({ cases: 0, escapes: 0, refused: 0, badTokens: 0, badJson: 0, leaks: 0, overTime: 0, overMemory: 0, maxMs: 0, maxRssMb: 0, maxGrowthMb: 0, maxBytes: 0, failures: [] });

/**
 * Bounds: a case of n bytes may take `baseMs + n * msPerKb / 1024`; a case of at most `boundedBytes`
 * may grow the process's RSS by at most `rssMb` (the issue: ≤ 256 MB for any input ≤ 10 MB; larger
 * inputs are measured one process each by scripts/adversarial.mjs).
 */
export interface Bounds {
  baseMs: number;
  msPerKb: number;
  rssMb: number;
  boundedBytes: number;
}

export function count(t: Tally, o: Outcome, inputBytes: number, bounds: Bounds, replay: string): void {
  t.cases++;
  t.maxMs = Math.max(t.maxMs, o.ms);
  t.maxRssMb = Math.max(t.maxRssMb, o.rssMb);
  const fail = (what: string, detail: string): void => {
    if (t.failures.length < 20) t.failures.push(`${what} [${replay}] ${o.variant}: ${detail.slice(0, 600)}`);
  };
  if (o.refused !== undefined) t.refused++;
  if (o.escape !== undefined) (t.escapes++, fail('escape', o.escape));
  if (o.badToken !== undefined) (t.badTokens++, fail('bad token', o.badToken));
  if (o.badJson !== undefined) (t.badJson++, fail('bad JSON', o.badJson));
  if (o.leak !== undefined) (t.leaks++, fail('leak', o.leak));
  if (o.ms > bounds.baseMs + (inputBytes / 1024) * bounds.msPerKb) (t.overTime++, fail('over time', `${o.ms.toFixed(0)} ms for ${inputBytes} bytes`));
  t.maxBytes = Math.max(t.maxBytes, inputBytes);
  t.maxGrowthMb = Math.max(t.maxGrowthMb, o.rssGrowthMb);
  if (inputBytes <= bounds.boundedBytes && o.rssGrowthMb > bounds.rssMb) (t.overMemory++, fail('over memory', `RSS grew ${o.rssGrowthMb.toFixed(0)} MB (to ${o.rssMb.toFixed(0)} MB) for ${inputBytes} bytes`));
}

export function formatTally(name: string, t: Tally): string {
  return (
    `${name.padEnd(10)} cases ${String(t.cases).padStart(7)}  escapes ${t.escapes}  bad tokens ${t.badTokens}  bad JSON ${t.badJson}  ` +
    `leaks ${t.leaks}  over time ${t.overTime}  over memory ${t.overMemory}  (refused ${t.refused}, slowest ${t.maxMs.toFixed(0)} ms, largest input ${(t.maxBytes / 1048576).toFixed(1)} MB, ` +
    `most RSS growth in one case ${t.maxGrowthMb.toFixed(0)} MB, process peak RSS ${t.maxRssMb.toFixed(0)} MB)`
  );
}
