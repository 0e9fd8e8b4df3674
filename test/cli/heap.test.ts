/**
 * The young generation of a log run (src/cli/heap.ts logHeap): V8 would double its semi-spaces up to
 * 16 MB each while a log is read; the run keeps them at 4 MB (8 MB committed for both), and sets the
 * flag back before the code cache is written (the cache made by a log run is accepted by the next).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// The benches' generator of mod_jk 1.2.48 debug logs (line shapes from samples/baseline/mod_jk.log).
import { writeLog } from '../../scripts/lib/synth-log.mjs';
import { cli, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajp-inspect-heap-');
let log = '';

beforeAll(async () => {
  log = join(tempDir(), 'mod_jk.log');
  // Enough lines for V8's own sizing to pass 8 MB committed (it reaches 16 MB by 200,000).
  await writeLog(log, 300_000, {});
}, 60_000);

/** The largest committed size of the new space V8 reported at any collection of a run (KB). */
function youngCommitted(args: string[], env: Record<string, string> = {}): { kb: number; code: number | null } {
  const r = spawnSync(process.execPath, ['--trace-gc-verbose', cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  let kb = 0;
  for (const m of r.stdout.matchAll(/New space, +used: +\d+ KB, available: +\d+ KB, committed: +(\d+) KB/g)) kb = Math.max(kb, Number(m[1]));
  return { kb, code: r.status };
}

describe('a log run keeps the young generation small', () => {
  it('diagnose: at most 8 MB committed for both semi-spaces, where V8 alone goes past it', () => {
    const out = join(tempDir(), 'report.json');
    const run = youngCommitted(['diagnose', log, '-T', 'json', '-o', out]);
    expect(run.code === 0 || run.code === 1).toBe(true);
    expect(existsSync(out)).toBe(true);
    // the run did collect (the trace was read), and grew the young generation to 8 MB
    expect(run.kb).toBe(8192);
  }, 60_000);

  it('the flag is set back before the code cache is written: the next run keeps the cache', () => {
    const xdg = tempDir();
    const dir = join(xdg, 'ajp-inspect');
    const env = { XDG_CACHE_HOME: xdg };
    const first = spawnSync(process.execPath, [cli, 'diagnose', log, '-T', 'json'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(first.status === 0 || first.status === 1).toBe(true);
    const [name] = readdirSync(dir);
    const made = statSync(join(dir, name!));
    const second = spawnSync(process.execPath, [cli, 'diagnose', log, '-T', 'json'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(second.stdout).toBe(first.stdout);
    // a rejected cache is written again (a new file renamed over it)
    const after = statSync(join(dir, name!));
    expect([after.ino, after.mtimeMs]).toEqual([made.ino, made.mtimeMs]);
  }, 60_000);
});
