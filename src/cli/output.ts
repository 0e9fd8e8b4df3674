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
import { accessSync, closeSync, constants, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from './exit-codes.js';

export interface Output {
  /** True when the output is stdout (no -o, or -o -). */
  readonly toStdout: boolean;
  write(text: string): void;
  /** Makes the output final (the rename); called once the command has succeeded. */
  commit(): void;
  /** Drops what was written (the temporary file); the target stays as it was. */
  discard(): void;
}

class StdoutOutput implements Output {
  readonly toStdout = true;
  write(text: string): void {
    process.stdout.write(text);
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

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
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
      writeAll(this.fd, text);
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
  // Follow a symlink to where the report really goes: the rename replaces the file it points to,
  // not the link (and the folder checked is that file's).
  const target = existing !== undefined ? realpathSync(path) : path;
  const dir = dirname(target);
  const dirStat = statOrUndefined(dir);
  if (dirStat === undefined) throw new UserError(`cannot write ${path}: no folder ${dir}`);
  if (!dirStat.isDirectory()) throw new UserError(`cannot write ${path}: ${dir} is not a folder`);
  try {
    if (existing !== undefined && !existing.isFile()) {
      // A device or FIFO: written in place, never replaced.
      return new FileOutput(path, target, undefined, openSync(target, 'w'));
    }
    // A read-only report is the user's decision: not replaced behind their back.
    if (existing !== undefined) accessSync(target, constants.W_OK);
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', existing !== undefined ? existing.mode & 0o777 : 0o666);
    return new FileOutput(path, target, temp, fd);
  } catch (err) {
    throw new UserError(`cannot write ${path}: ${reason(err)}`);
  }
}
