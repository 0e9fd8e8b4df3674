/**
 * What every command shares at the edge of the program: colour decision, one-line messages for
 * unreadable input, running the capture pipeline with those messages, and writing the output.
 */
import { writeFile } from 'node:fs/promises';
import { CaptureFormatError } from '../capture/index.js';
import { inspectCapture, type CaptureRun, type InspectOptions } from '../inspect/index.js';
import { UserError } from './exit-codes.js';

export type Format = 'text' | 'json';
export type ColorMode = 'auto' | 'always' | 'never';

/** Colours on a TTY unless NO_COLOR is set (https://no-color.org); never into a file. */
export function useColor(mode: ColorMode, toFile: boolean, isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode === 'always') return true;
  if (mode === 'never' || toFile) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

/** The colour decision for a command's stdout (or its -o file). */
export function colorFor(argv: Record<string, unknown>, output: string | undefined): boolean {
  return useColor((argv.color ?? 'auto') as ColorMode, output !== undefined, process.stdout.isTTY === true);
}

/** One line for an error while opening/reading an input; undefined when it is a bug (to be rethrown). */
export function inputErrorLine(source: string, err: unknown, noun: 'capture file' | 'log file'): string | undefined {
  const name = source === '-' ? 'stdin' : source;
  if (err instanceof CaptureFormatError) return err.message.startsWith(name) ? err.message : `${name}: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return `${name}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${name}: permission denied`;
    case 'EISDIR':
      return `${name}: is a directory, not a ${noun}`;
    case 'EIO':
      return `${name}: read error (${e.message})`;
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `${name}: corrupt gzip data`;
    default:
      return undefined;
  }
}

/** The capture pipeline for a command: unreadable or non-capture input becomes one line (exit 2). */
export async function runCapture(source: string, opts: InspectOptions): Promise<CaptureRun> {
  try {
    return await inspectCapture(source, opts);
  } catch (err) {
    const line = inputErrorLine(source, err, 'capture file');
    if (line !== undefined) throw new UserError(line);
    throw err;
  }
}

/** Writes a command's output to stdout, or to the -o file. */
export async function writeOutput(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (err) {
    throw new UserError(`cannot write ${output}: ${(err as Error).message}`);
  }
}
