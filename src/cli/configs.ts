/**
 * Configuration inputs for the commands: `config FILE…`, `--config FILE` on the capture commands and
 * diagnose, and configuration files given among diagnose's logs (told apart by content). Reading
 * problems — a missing file, a folder, not a configuration, broken XML, an Include loop or a missing
 * Include target — are one line (UserError), never a stack.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ConfigError, detectConfigKind, MAX_CONFIG_BYTES, readConfigs, tooMuchConfig, type ConfigFacts, type ConfigSource } from '../config/index.js';
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
  const sources: ConfigSource[] = paths.map((p) => ({ path: p === '-' ? 'stdin' : p, text: readText(p) }));
  try {
    return readConfigs(sources);
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
