#!/usr/bin/env node
/**
 * Parser speed on a large mod_jk debug log (not a test; not in package.json).
 *
 *   npm run build && node test/logs/bench-parse.mjs [--lines N] [--file F] [--dist DIR]
 *
 * Without --file it writes a log of N lines (default 1,000,000) to os.tmpdir() by repeating the
 * real mod_jk 1.2.48 debug logs of samples/baseline and samples/client-abort, then times, best of
 * 3: parseLogText (events kept), streamLog (events handed to a callback, none kept) and readLogs.
 * Prints lines/s by wall clock and CPU time (the machine may be shared).
 */
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const root = join(import.meta.dirname, '..', '..');
const dist = opt('dist', join(root, 'dist'));
const { parseLogText, streamLog, readLogs, lineContext } = await import(join(dist, 'logs', 'index.js'));

let file = opt('file');
const made = !file;
if (!file) {
  const n = Number(opt('lines', 1_000_000));
  const src = ['baseline', 'client-abort']
    .flatMap((s) => readFileSync(join(root, 'samples', s, 'mod_jk.log'), 'utf8').split('\n'))
    .filter((l) => l !== '');
  const out = [];
  while (out.length < n) out.push(...src);
  out.length = n;
  file = join(tmpdir(), `ajp-inspect-bench-${process.pid}.log`);
  writeFileSync(file, out.join('\n') + '\n');
}
const text = readFileSync(file, 'utf8');

async function time(name, fn) {
  let best = null;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const lines = await fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    if (best === null || wall < best.wall) best = { wall, cpu, lines };
  }
  const mps = (ms) => ((best.lines / ms) * 1000 / 1e6).toFixed(2);
  console.log(`${name.padEnd(28)} ${best.lines} lines  wall ${best.wall.toFixed(0)} ms (${mps(best.wall)} M lines/s)  cpu ${best.cpu.toFixed(0)} ms (${mps(best.cpu)} M lines/s)`);
}

await time('parseLogText (kept)', () => parseLogText(text, { path: file, tz: 'UTC' }).summary.lines);
await time('streamLog (not kept)', async () => {
  let n = 0;
  const s = await streamLog(file, lineContext({ tz: 'UTC' }), () => n++);
  return s.lines;
});
await time('readLogs (file, kept)', async () => (await readLogs([file], { tz: 'UTC' })).summaries[0].lines);
if (made) rmSync(file);
