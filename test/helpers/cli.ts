/**
 * Running the built CLI as a user does (`node dist/cli.js …`; dist/ is built by
 * test/global-setup.ts), and temporary folders that a test file removes when it is done.
 */
import { spawnSync } from 'node:child_process';
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
