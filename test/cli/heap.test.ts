/**
 * The heap of a run (src/cli/heap.ts): V8 would double the young generation's semi-spaces up to 16 MB
 * each while a log or a capture is read; a log run lets them grow to 4 MB (8 MB committed for both)
 * and keeps them there, a capture run keeps the size they had when its read started; the flag is set
 * back before the code cache is written (the cache made by a log run is accepted by the next). A
 * capture's run collects the heap after its analysis only when there is much to collect.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// The benches' generator of mod_jk 1.2.48 debug logs (line shapes from samples/baseline/mod_jk.log).
import { writeLog } from '../../scripts/lib/synth-log.mjs';
// The benches' production-like capture: the samples' real captures repeated, AJP connections left open.
import { pooled } from '../../scripts/lib/prod-capture.mjs';
import { cli, root, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajp-inspect-heap-');
let log = '';

beforeAll(async () => {
  log = join(tempDir(), 'mod_jk.log');
  // Enough lines for V8's own sizing to pass 8 MB committed (it reaches 16 MB by 200,000).
  await writeLog(log, 300_000, {});
}, 60_000);

/**
 * The largest committed size of the new space V8 reported at any collection of a run (KB), and the
 * full collections the run asked for. Run twice: the first run writes the code cache for these node
 * flags, the second (measured) finds it, as a user's runs do (compiling the whole command line
 * lazily allocates more at start-up, before the run looks at its heap, and the cache is written
 * after the run's flags are set back).
 */
function youngCommitted(args: string[]): { kb: number; asked: number; code: number | null } {
  const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: tempDir() };
  const run = () => spawnSync(process.execPath, ['--trace-gc-verbose', cli, ...args], { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  run();
  const r = run();
  let kb = 0;
  for (const m of r.stdout.matchAll(/New space, +used: +\d+ KB, available: +\d+ KB, committed: +(\d+) KB/g)) kb = Math.max(kb, Number(m[1]));
  // V8's reason for a collection the code asked for (the gc function --expose-gc gives)
  const asked = [...r.stdout.matchAll(/Mark-Compact .*testing; GC in old space requested/g)].length;
  return { kb, asked, code: r.status };
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

describe('a capture run', () => {
  it('keeps the young generation at the size it had when the read started (V8 alone grows it to 4 MB semi-spaces here)', () => {
    const file = join(tempDir(), 'pooled.pcap');
    // 40 MB: V8 grows the semi-spaces to 4 MB within it (8 MB committed) when let
    pooled(file, 40_000_000, join(root, 'samples'));
    const run = youngCommitted([file, '--ajp-port', '18009', '-T', 'json', '-o', join(tempDir(), 'r.json')]);
    expect(run.code === 0 || run.code === 1).toBe(true);
    expect(run.kb).toBeGreaterThan(0);
    expect(run.kb).toBeLessThan(8192);
    // little left to collect after the read: no collection asked for
    expect(run.asked).toBe(0);
  }, 60_000);

  it('a small capture: no full collection after its analysis', () => {
    const run = youngCommitted([join(root, 'samples', 'backend-down', 'capture.pcap'), '-T', 'json', '-o', join(tempDir(), 'r.json')]);
    expect(run.code === 0 || run.code === 1).toBe(true);
    // the run did collect (scavenges), so the trace was read
    expect(run.kb).toBeGreaterThan(0);
    expect(run.asked).toBe(0);
  }, 60_000);
});
