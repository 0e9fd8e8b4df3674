/**
 * Configuration inputs for the commands: `config FILE…`, `--config FILE` on the capture commands and
 * diagnose, and configuration files given among diagnose's logs (told apart by content). Reading
 * problems — a missing file, a folder, not a configuration, broken XML, an Include loop or a missing
 * Include target — are one line (UserError), never a stack.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { addExcerpts, CONFIG_KIND_NAMES, configFragments, readExcerpts, type ConfigFragment, ConfigError, detectConfigKind, emptyFacts, MAX_CONFIG_BYTES, mergeFacts, type UnreadExcerpt, readConfigs, tooMuchConfig, type ConfigFacts, type ConfigSource } from '../config/index.js';
import { cleanLine, lineContext, parseLine, stripLineNumber } from '../logs/index.js';
import { knownMessage } from '../rules/index.js';
import { guardText } from './output.js';
import type { InputRef } from '../report/index.js';
import { UserError } from './exit-codes.js';
import { inputErrorLine } from './io.js';

/**
 * A file's bytes (stdin for `-`), read a chunk at a time so that no more than `max` bytes are ever
 * held; undefined when there are more (a FIFO or stdin tells no size beforehand).
 */
function readAtMost(path: string, max: number): Buffer | undefined {
  if (path !== '-') {
    const st = statSync(path);
    if (st.isFile() && st.size > max) return undefined;
  }
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(65536);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // stdin left non-blocking by the shell: wait for it, as readFileSync would not
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        if (code === 'EOF') break;
        throw err;
      }
      if (n === 0) break;
      total += n;
      if (total > max) return undefined;
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** Reads a file (or stdin for `-`) as text, MAX_CONFIG_BYTES at most; errors as one line. */
function readText(path: string): string {
  try {
    if (path !== '-' && statSync(path).isDirectory()) throw new UserError(`${path}: is a directory: give the configuration files in it (httpd.conf reads its Includes itself)`);
    const buf = readAtMost(path, MAX_CONFIG_BYTES);
    if (buf === undefined) throw new UserError(tooMuchConfig(path === '-' ? 'stdin' : path));
    if (buf.length >= 4 && (buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xd4c3b2a1 || buf.readUInt32LE(0) === 0x0a0d0d0a)) {
      throw new UserError(`${path === '-' ? 'stdin' : path}: this is a capture, not a configuration: use \`ajp-inspect ${path}\``);
    }
    if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) throw new UserError(`${path === '-' ? 'stdin' : path}: gzip data, not a configuration: gunzip it first`);
    return buf.toString('utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const line = inputErrorLine(path, err, 'configuration file');
    if (line !== undefined) throw new UserError(line);
    throw err;
  }
}

/** The facts of the configuration files given; every problem is one line. */
export function readConfigFiles(paths: readonly string[]): ConfigFacts {
  // stdin is named "stdin" wherever a person reads it (evidence, errors).
  const all: ConfigSource[] = paths.map((p) => ({ path: p === '-' ? 'stdin' : p, text: readText(p) }));
  // A text that is not one configuration, or that holds log lines too (a post quoting its
  // workers.properties, its <Connector> and its log): the configuration quoted in it, as diagnose
  // reads it (quotedConfig), instead of the whole text read as the one kind it looks most like.
  const quoted: { path: string; fragments: ConfigFragment[] }[] = [];
  const sources = all.filter((s) => {
    if (s.text.length > MAX_PASTE_BYTES || (detectConfigKind(s.text) !== undefined && !holdsLogLines(s.text))) return true;
    const fragments = configFragments(s.text, logLineTest());
    if (fragments.length === 0) return true;
    quoted.push({ path: s.path, fragments });
    return false;
  });
  try {
    const facts = readConfigs(sources);
    for (const q of quoted) warnUnread(q.path, readExcerpts(facts, q.path, q.fragments).unread);
    return facts;
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (typeof e?.code === 'string' && typeof e.path === 'string') {
      const line = inputErrorLine(e.path, err, 'configuration file');
      if (line !== undefined) throw new UserError(`${line} (named by the configuration)`);
    }
    throw err;
  }
}

/** Whether a file given where logs are is a configuration (its first 64 KiB read as such). */
export function isConfigFile(path: string): boolean {
  if (path === '-' || path === '') return false;
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head.includes(0)) return false;
    // A cut in the middle of the last line would not change what the lines say.
    return detectConfigKind(head.toString('utf8')) !== undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A text given where logs go (diagnose's files, --log) is also looked at for configuration quoted in
 * it when it is at most this big: a paste, a ticket's text, a forum post saved to a file. A log file
 * is larger and holds none (a mod_jk debug log's dump of workers.properties is log lines).
 */
export const MAX_PASTE_BYTES = 1 << 20;

/**
 * Whether a text holds a log line, or a message of the catalogue standing alone (a paste of bare
 * messages): then it is read as a log, and what configuration it quotes besides (config/fragments.ts).
 */
export function holdsLogLines(text: string): boolean {
  const isLog = logLineTest();
  for (const raw of text.split(/\r?\n|\r/)) {
    const clean = cleanLine(raw).trim();
    if (clean === '' || clean.startsWith('#') || clean.startsWith('<')) continue;
    if (isLog(clean)) return true;
  }
  return false;
}

/** Whether a line (cleaned) is one of a log: a dialect reads it, or it names a message of the catalogue. */
function logLineTest(): (line: string) => boolean {
  const ctx = lineContext({ knownMessage });
  return (clean) => {
    const line = stripLineNumber(clean) ?? clean;
    return parseLine(line, ctx) !== null || knownMessage(line);
  };
}

/**
 * How a file given among the logs is read: as a configuration (the whole file, as `config` reads it)
 * when it is one and holds no log line; else as a log. A file larger than MAX_PASTE_BYTES is judged
 * by its first 64 KiB, as a configuration or a log, not both.
 */
export function isConfigInput(path: string): boolean {
  if (path === '-' || path === '') return false;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  if (size > MAX_PASTE_BYTES) return isConfigFile(path);
  const text = smallText(path);
  return text !== undefined && detectConfigKind(text) !== undefined && !holdsLogLines(text);
}

/** A small file's text (UTF-8 or UTF-16 with its BOM); undefined when it cannot be read or is not text. */
function smallText(path: string): string | undefined {
  // (a file given among the logs is looked at by isConfigInput, then by quotedConfig: read once)
  if (smallTexts.has(path)) return smallTexts.get(path);
  const text = readSmallText(path);
  smallTexts.set(path, text);
  return text;
}

/** The texts smallText read in this process, by path (inputs of at most MAX_PASTE_BYTES each). */
const smallTexts = new Map<string, string | undefined>();

function readSmallText(path: string): string | undefined {
  let buf: Buffer | undefined;
  try {
    buf = readAtMost(path, MAX_PASTE_BYTES);
  } catch {
    return undefined;
  }
  return buf === undefined ? undefined : pasteText(buf);
}

/** Bytes of a paste as text: UTF-8, or UTF-16LE with its BOM (Notepad); undefined for gzip or binary. */
export function pasteText(buf: Buffer): string | undefined {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return undefined;
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.includes(0)) return undefined;
  return buf.toString('utf8');
}

/**
 * The configuration quoted in the texts read as logs (each at most MAX_PASTE_BYTES: a file larger is
 * a log file, and only the first MAX_PASTE_BYTES of stdin are looked at), as facts; undefined when
 * none quotes any. `stdinText`: what was read from stdin, when it was one of the logs. A quoted
 * fragment that cannot be read is said on stderr and left out.
 */
export function quotedConfig(paths: readonly string[], stdinText: string | undefined): { facts: ConfigFacts | undefined; lines: Map<string, Set<number>> } {
  let facts: ConfigFacts | undefined;
  // per input (as the log reader names it: '-' for stdin), the lines read as configuration
  const lines = new Map<string, Set<number>>();
  for (const p of paths) {
    let text: string | undefined;
    if (p === '-') text = stdinText;
    else {
      try {
        const st = statSync(p);
        if (st.isFile() && st.size <= MAX_PASTE_BYTES) text = smallText(p);
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) continue;
    const name = p === '-' ? 'stdin' : p;
    const got = emptyFacts();
    const { read, unread } = addExcerpts(got, name, text, logLineTest());
    warnUnread(name, unread);
    if (read.length === 0) continue;
    const mine = new Set<number>();
    for (const f of read) f.text.split('\n').forEach((l, i) => (l !== '' ? mine.add(i + 1) : undefined));
    lines.set(p, mine);
    facts = facts === undefined ? got : mergeFacts(facts, got);
  }
  return { facts, lines };
}

/** Each quoted fragment that could not be read, one warning line on stderr. */
function warnUnread(name: string, unread: readonly UnreadExcerpt[]): void {
  for (const u of unread) {
    const where = u.fragment.firstLine === u.fragment.lastLine ? `line ${u.fragment.firstLine}` : `lines ${u.fragment.firstLine}-${u.fragment.lastLine}`;
    process.stderr.write(guardText(`ajp-inspect: warning: ${name}: ${where} look like ${CONFIG_KIND_NAMES[u.fragment.kind]} but cannot be read (${u.reason}): left out\n`));
  }
}


/** Both sets of facts in one (`a`, with `b`'s added), either may be undefined. */
export function bothFacts(a: ConfigFacts | undefined, b: ConfigFacts | undefined): ConfigFacts | undefined {
  return a === undefined ? b : b === undefined ? a : mergeFacts(a, b);
}

/** The report's `inputs` entries of the configuration read (with the lines of one quoted in a paste). */
export function configInputs(facts: ConfigFacts | undefined): InputRef[] {
  return (facts?.files ?? []).map((f) => ({ path: f.path, kind: 'config' as const, format: f.kind, ...(f.quoted !== undefined ? { quotedLines: [f.quoted.first, f.quoted.last] as [number, number] } : {}) }));
}
