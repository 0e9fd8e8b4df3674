/**
 * Where a command's output goes: stdout, or the `-o` file. The user's files are sacred:
 *
 *  - `-o` never names an input: the same file by any name (a symlink, a hard link, `./x`) is found
 *    by device and inode and refused;
 *  - the folder is checked, and the temporary file created, before the analysis starts, so a typo
 *    in the path fails at once instead of after reading 2 GB;
 *  - the report is written to a temporary file in the same folder and renamed over the target at
 *    the end (POSIX rename is atomic within a file system): an earlier report is never half
 *    overwritten, and a failed or interrupted run leaves it as it was;
 *  - a target that is not a regular file (/dev/null, a FIFO, /dev/stdout) is written in place, never
 *    replaced.
 */
import { accessSync, closeSync, constants, fstatSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './exit-codes.js';
import { inputSecrets } from '../util/secrets.js';
import { scrubDeep } from '../util/scrub-deep.js';
import { setTableCellScrub } from '../util/table.js';

/**
 * What every string the program prints goes through, whatever command or renderer made it (one
 * point, so a new renderer gets it for free): the secret values seen in this run's inputs
 * replaced by `[redacted]` unless --show-secrets (util/secrets.ts), and control characters from the
 * inputs escaped so that a crafted capture or log cannot drive the terminal (set its title with
 * an OSC sequence, clear it, move the cursor, reverse the text with a bidi override), as tshark
 * escapes them: C0 controls but newline and tab as `\xHH`; C1 controls and bidi controls as
 * `\uHHHH`, which in JSON is the same string (JSON.stringify already escapes C0), so JSON stays exact.
 * Our own colours (SGR `ESC [ … m`) are kept when colour is on.
 */
export interface OutputGuard {
  showSecrets: boolean;
  color: boolean;
}

let guard: OutputGuard = { showSecrets: false, color: false };

/** main.ts, before a command runs (and a test running one in-process). */
export function setOutputGuard(g: OutputGuard): void {
  guard = g;
  inputSecrets.showing = g.showSecrets;
  // Table cells measured as printed: redaction by guardText after the layout shifted a row's columns.
  setTableCellScrub(shown);
}

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /\x1b\[[0-9;]{0,32}m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x20 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` as it may be printed (see OutputGuard). */
export function guardText(text: string): string {
  let out = guard.showSecrets ? text : inputSecrets.scrub(text);
  if (UNSAFE.test(out)) {
    const keepSgr = guard.color;
    out = out.replace(UNSAFE_ALL, (m) => (m.length > 1 ? (keepSgr ? m : escapeChar('\x1b') + m.slice(1)) : escapeChar(m)));
  }
  return out;
}

/**
 * A renderer's input with the secret values scrubbed from every string in it, before the renderer
 * cuts any text to fit (a line sample at 120 characters, a table cell, a figure label): a value
 * longer than the cut would otherwise be printed as a prefix that no longer matches it (fuzz
 * log:8838). The guard above still sees everything printed; this is for what is cut first.
 */
export function shown<T>(value: T): T {
  if (guard.showSecrets || inputSecrets.size === 0) return value;
  // (a string, as each table cell is (util/table.ts): no walk, whose state is a Map made per call)
  if (typeof value === 'string') return inputSecrets.scrub(value) as T;
  return scrubDeep(value, (s) => inputSecrets.scrub(s));
}

/**
 * Many short texts for one Output, each through guardText and encoded at once into one buffer that
 * is written when full: `frames` prints a line per AJP message, millions of them. Held as strings
 * until a flush of 2,000 lines (~600 KB), they outlived V8's young generation, and their joined
 * text, over 128 KB, was made in the large-object space: old-generation garbage all along the
 * read, which raised the peak. Pooled 2 GB capture, `frames -T json` (/usr/bin/time, two runs each
 * interleaved): 255 → 244 MB peak RSS, CPU the same or less (more guard calls, fewer writes).
 * The guard sees each text whole, as it saw each flush whole before (a line is never split).
 */
export class GuardedLines {
  private readonly buf: Buffer;
  private at = 0;

  constructor(
    private readonly out: Output,
    size = 1 << 18,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  push(text: string): void {
    const t = guardText(text);
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2).
    if (this.at + 3 * t.length > this.buf.length) {
      this.flush();
      if (3 * t.length > this.buf.length) {
        this.out.writeGuarded(Buffer.from(t, 'utf8'));
        return;
      }
    }
    this.at += this.buf.write(t, this.at, 'utf8');
  }

  flush(): void {
    if (this.at === 0) return;
    this.out.writeGuarded(this.buf.subarray(0, this.at));
    this.at = 0;
  }
}

export interface Output {
  /** True when the output is stdout (no -o, or -o -). */
  readonly toStdout: boolean;
  write(text: string): void;
  /** Bytes already through guardText, as GuardedLines hands them over (its only caller). */
  writeGuarded(bytes: Uint8Array): void;
  /** Makes the output final (the rename); called once the command has succeeded. */
  commit(): void;
  /** Drops what was written (the temporary file); the target stays as it was. */
  discard(): void;
}

/**
 * stdout with back-pressure. On Linux a pipe's `process.stdout.write` queues in the process without
 * bound when the reader is slower than we produce (900 MB held for `frames … | slow-reader`), and
 * the output is produced inside the capture read's synchronous callbacks (`frames` streams its lines
 * as the messages are decoded), which cannot wait for 'drain'. So the pipe is made blocking, as
 * yargs' set-blocking does (libuv uv_stream_set_blocking): a write then returns once the reader
 * has taken the bytes, and a full pipe pauses the analysis. Files are written synchronously by
 * Node already; TTYs are blocking on Linux.
 */
class StdoutOutput implements Output {
  readonly toStdout = true;
  /**
   * Whether stdout is a file or a device (/dev/null): Node writes it with a synchronous
   * `fs.writeSync` behind the stream (SyncWriteStream, `_type` 'fs': lib/internal/bootstrap/switches/
   * is_main_thread.js createWritableStdioStream), after a Buffer made per write. Written here with
   * the same call from one reused buffer instead: 15 MB of report cost ~10 ms less (issue 14). The
   * order with anything else written to process.stdout stays, as both are synchronous. Not when
   * process.stdout.write was replaced on the stream itself (a test's spy, a wrapper): it still sees
   * every write.
   */
  private readonly direct: boolean;
  constructor() {
    const handle = (process.stdout as unknown as { _handle?: { setBlocking?: (blocking: boolean) => unknown } })._handle;
    if (typeof handle?.setBlocking === 'function') handle.setBlocking(true);
    const fd = (process.stdout as unknown as { fd?: unknown }).fd;
    this.direct = (process.stdout as unknown as { _type?: unknown })._type === 'fs' && fd === 1;
  }
  write(text: string): void {
    if (this.direct && !Object.hasOwn(process.stdout, 'write')) writeAll(1, guardText(text));
    else process.stdout.write(guardText(text));
  }
  writeGuarded(bytes: Uint8Array): void {
    if (this.direct && !Object.hasOwn(process.stdout, 'write')) writeBytes(1, bytes);
    // A copy: the caller refills its buffer, and a stream may still hold what it was handed.
    else process.stdout.write(Buffer.from(bytes));
  }
  commit(): void {}
  discard(): void {}
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The buffer the outputs encode into (made at the first write, 256 KiB): a Buffer made per write
 * (`Buffer.from`) cost more than the encoding itself, ~0.7 ns a character of the report.
 */
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 1 << 18;

function writeAll(fd: number, text: string): void {
  // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
  if (text.length * 3 <= SCRATCH_BYTES) {
    const buf = (scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES));
    writeBytes(fd, buf.subarray(0, buf.write(text, 0, 'utf8')));
  } else writeBytes(fd, Buffer.from(text, 'utf8'));
}

function writeBytes(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return e instanceof Error ? e.message : String(err);
  }
}

/** Removes temporary files of outputs still open when the process is interrupted. */
const open = new Set<FileOutput>();
let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  const cleanup = () => {
    for (const o of open) o.discard();
  };
  process.once('exit', cleanup);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(sig, () => {
      cleanup();
      process.exit(code);
    });
  }
}

class FileOutput implements Output {
  readonly toStdout = false;
  private fd: number | undefined;
  private done = false;

  /** `temp` undefined: write into `target` itself (not a regular file). */
  constructor(
    private readonly shown: string,
    private readonly target: string,
    private readonly temp: string | undefined,
    fd: number,
  ) {
    this.fd = fd;
    if (temp !== undefined) {
      open.add(this);
      hookSignals();
    }
  }

  write(text: string): void {
    if (this.fd === undefined) throw new Error(`output ${this.shown} already closed`);
    try {
      writeAll(this.fd, guardText(text));
    } catch (err) {
      throw new UserError(`cannot write ${this.shown}: ${reason(err)}`);
    }
  }

  writeGuarded(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`output ${this.shown} already closed`);
    try {
      writeBytes(this.fd, bytes);
    } catch (err) {
      throw new UserError(`cannot write ${this.shown}: ${reason(err)}`);
    }
  }

  commit(): void {
    if (this.done || this.fd === undefined) return;
    try {
      if (this.temp !== undefined) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      if (this.temp !== undefined) renameSync(this.temp, this.target);
      this.done = true;
      open.delete(this);
    } catch (err) {
      this.discard();
      throw new UserError(`cannot write ${this.shown}: ${reason(err)}`);
    }
  }

  discard(): void {
    if (this.done) return;
    this.done = true;
    open.delete(this);
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed: nothing to release
      }
      this.fd = undefined;
    }
    if (this.temp !== undefined) {
      try {
        unlinkSync(this.temp);
      } catch {
        // gone already
      }
    }
  }
}

/**
 * Opens the command's output before the analysis: stdout when `path` is undefined; otherwise
 * checks that `path` is none of `inputs` and that it can be written, and creates the temporary file.
 * Throws UserError (exit 2) with one line naming the problem.
 */
export function openOutput(path: string | undefined, inputs: readonly string[]): Output {
  if (path === undefined) return new StdoutOutput();
  const existing = statOrUndefined(path);
  if (existing !== undefined) {
    if (existing.isDirectory()) throw new UserError(`cannot write ${path}: it is a folder; give a file name`);
    for (const input of inputs) {
      if (input === '-') continue;
      const st = statOrUndefined(input);
      if (st !== undefined && st.dev === existing.dev && st.ino === existing.ino) {
        const same = input === path ? '' : ` (the same file as ${input})`;
        throw new UserError(`refusing to write the output to ${path}: it is an input${same}; give another -o file`);
      }
    }
  }
  if (existing !== undefined && !existing.isFile()) {
    // Our own stdout by another name (/dev/stdout, /dev/fd/1): stdout itself. Opened by name, a
    // socket (what a parent process often gives as stdout) cannot be (ENXIO).
    if (sameFile(existing, fstatOrUndefined(1))) return new StdoutOutput();
    // A device or FIFO: written in place, never replaced, opened by the name given (/dev/stdout on a
    // pipe resolves to /proc/self/fd/1 → `pipe:[N]`, which is no path: only opening the link works).
    try {
      return new FileOutput(path, path, undefined, openSync(path, 'w'));
    } catch (err) {
      throw new UserError(`cannot write ${path}: ${reason(err)}`);
    }
  }
  // Follow a symlink to where the report really goes: the rename replaces the file it points to,
  // not the link (and the folder checked is that file's).
  const target = existing !== undefined ? realpathSync(path) : path;
  const dir = dirname(target);
  const dirStat = statOrUndefined(dir);
  if (dirStat === undefined) throw new UserError(`cannot write ${path}: no folder ${dir}`);
  if (!dirStat.isDirectory()) throw new UserError(`cannot write ${path}: ${dir} is not a folder`);
  try {
    // A read-only report is the user's decision: not replaced behind their back.
    if (existing !== undefined) accessSync(target, constants.W_OK);
    // A name no other process picks (created with 'wx' all the same). Math.random, not node:crypto:
    // loading the crypto module cost every run ~2 ms of start-up (issue 14), and a name needs no
    // secrecy (V8 seeds Math.random from the system's entropy in each process).
    const nonce = Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
    const temp = join(dir, `.${basename(target)}.${process.pid}.${nonce}.tmp`);
    // Hooked before the file exists: a Ctrl-C that arrived between its creation and the hook would
    // end the process by the default action and leave the temporary file behind (seen under load).
    hookSignals();
    const fd = openSync(temp, 'wx', existing !== undefined ? existing.mode & 0o777 : 0o666);
    return new FileOutput(path, target, temp, fd);
  } catch (err) {
    throw new UserError(`cannot write ${path}: ${reason(err)}`);
  }
}

function fstatOrUndefined(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

function sameFile(a: Stats, b: Stats | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
