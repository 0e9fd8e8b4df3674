/**
 * Small helpers shared by the capture benches (scripts/bench.mjs, scripts/bench-capture.mjs):
 * flag reading, a temp dir that goes away on exit or Ctrl-C, best-of-N child runs, tshark timing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `--name value` reader over an argv slice: opt('size', '520'). */
export function options(args) {
  return (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
}

/**
 * A fresh os.tmpdir()/ajp-bench-* dir; cleanup() removes it unless keep. Ctrl-C cleans up too
 * (exit 130).
 */
export function benchTempDir(keep) {
  const dir = mkdtempSync(join(tmpdir(), 'ajp-bench-'));
  const cleanup = () => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  return { dir, cleanup };
}

/**
 * Runs `node script ...childArgs` n times; each child prints its result as its last stdout line
 * (JSON). Returns the results fastest first (by `secs`). Throws `${what} failed: stderr` on a
 * non-zero exit.
 */
export function bestOf(n, script, childArgs, what, maxBuffer = 1 << 20) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [script, ...childArgs], { encoding: 'utf8', maxBuffer });
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  return runs.sort((a, b) => a.secs - b.secs);
}

/** Whether tshark runs here. */
export function hasTshark() {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Times `tshark ...targs` under /usr/bin/time: wall seconds, CPU seconds (user + system) and peak
 * RSS in KiB (NaN when /usr/bin/time gave nothing).
 */
export function timeTshark(targs) {
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'tshark', ...targs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const secs = (Date.now() - t0) / 1000;
  const [rssKiB, u, sy] = (r.stderr.trim().split('\n').pop() ?? '').trim().split(' ').map(Number);
  return { secs, cpu: u + sy, rssKiB };
}
