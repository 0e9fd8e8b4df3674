/**
 * Running the built CLI as a user does (`node dist/cli.js …`; dist/ is built by
 * test/global-setup.ts), and temporary folders that a test file removes when it is done.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = join(root, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the CLI from the project root; NO_COLOR=1 unless `env` says otherwise. */
export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; timeout?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    // spawnSync would take `encoding` as the encoding of a string input too
    input: typeof opts.input === 'string' ? Buffer.from(opts.input, 'utf8') : opts.input,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'buffer',
    timeout: opts.timeout ?? 30_000,
  });
  return { code: r.status, out: r.stdout.toString('utf8'), err: r.stderr.toString('utf8') };
}

/** Call at the top of a test file: returns a maker of temporary folders removed after the file's tests. */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

export interface CliRunAsync {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking (for several at a time with `pool`); stdin gets `stdin` or nothing. */
export function runCliAsync(args: string[], stdin?: string): Promise<CliRunAsync> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ args, code, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

/** Runs the jobs `width` at a time (2 cores: more would only queue). */
export async function pool<T>(jobs: Array<() => Promise<T>>, width = 3): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}
