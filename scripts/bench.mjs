#!/usr/bin/env node
/**
 * `npm run bench`: the speed and memory targets of issue 14, measured on production-like inputs,
 * the real CLI (`node dist/cli.js …`, output to /dev/null) side by side with tshark in the same run,
 * one table at the end; exit 1 when a target is missed (2 when one could not be judged: no tshark).
 *
 * Inputs (built in a temp dir, or kept and reused with --dir):
 *  - capture of N MB (--sizes, default 100,500,2000): the real samples/ captures laid end to end
 *    and repeated, the pooled AJP connections of each copy left open (scripts/lib/prod-capture.mjs,
 *    pooled); each run in the modes of --modes (default json,text,frames) and `tshark -n -r F -Y
 *    ajp13 -d tcp.port==18009,ajp13` on the same file.
 *  - many open connections (--open, default 200000): one real AJP request cycle per client, never
 *    closed (prod-capture.mjs, manyOpen), JSON mode, and tshark.
 *  - logs (--lines, default 1000000,5000000): mod_jk lines (scripts/lib/synth-log.mjs), `diagnose
 *    F -T json`; --noise-lines (default 1000000) lines of other programs, and --outage-lines
 *    (default 1000000) lines of a backend down for the whole log (every line a refused connect the
 *    rules keep: a production incident's log), `diagnose`.
 *  - start-up: `--version` and a small capture (samples/backend-down/capture.pcap), best of 5 wall
 *    times, beside `node -e 0`; the small capture again with no code cache (what a first run costs).
 * Every process runs under /usr/bin/time: wall, CPU (user + system) and peak RSS of that process
 * alone. The machine may be shared: the ratios (CPU and wall, same run) are the figures to read.
 *
 *   node scripts/bench.mjs [--quick] [--sizes 100,500,2000] [--modes json,text,frames] [--open N]
 *       [--lines 1000000,5000000] [--noise-lines N] [--outage-lines N] [--runs N] [--dir D] [--no-tshark]
 *       [--only capture,open,logs,startup] [--baseline-dist PATH]
 *
 * --quick: sizes 20, open 20000, lines 200000, noise 200000, outage 200000 (the targets scaled as below).
 * --baseline-dist PATH: also runs PATH/cli.js (a build of another commit) on every ajp-inspect input
 *   in the same run, for a before/after table.
 * Targets (issue 14, JSON mode, CPU time): ≥ 4× tshark below 300 MB, ≥ 10× below 1 GB, ≥ 15× from
 * 1 GB on; peak RSS ≤ 256 MB for every size and mode; open connections: ≥ 2× tshark and peak RSS ≤
 * 112 MB + 2 kB per connection (512 MB for 200,000); logs ≤ 2 s CPU per 1,000,000 lines and ≤ 256 MB;
 * start-up ≤ 0.15 s wall.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manyOpen, pooled } from './lib/prod-capture.mjs';
import { writeLog } from './lib/synth-log.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = process.env.AJP_INSPECT_DIST ?? join(root, 'dist');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const quick = args.includes('--quick');
const list = (s) => s.split(',').filter((x) => x !== '').map(Number);
const sizes = list(opt('sizes', quick ? '20' : '100,500,2000'));
const modes = opt('modes', 'json,text,frames').split(',');
const openN = Number(opt('open', quick ? '20000' : '200000'));
const lineCounts = list(opt('lines', quick ? '200000' : '1000000,5000000'));
const noiseLines = Number(opt('noise-lines', quick ? '200000' : '1000000'));
const outageLines = Number(opt('outage-lines', quick ? '200000' : '1000000'));
const runs = Number(opt('runs', '1'));
const only = opt('only', 'capture,open,logs,startup').split(',');
const before = opt('baseline-dist', undefined);
const useTshark = !args.includes('--no-tshark') && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is needed (Debian package `time`) for CPU time and peak RSS');
  process.exit(2);
}

const keepDir = opt('dir', undefined);
const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'ajp-bench-'));
if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });
const cleanup = () => {
  if (keepDir === undefined) rmSync(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** Runs cmd under /usr/bin/time (stdout to /dev/null), best of `n` by CPU: { wall, cpu, rssMB, status }. */
function timed(cmd, cmdArgs, n = runs, env = undefined) {
  let best;
  for (let i = 0; i < n; i++) {
    const out = join(dir, `time-${process.pid}`);
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...cmdArgs], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26, env: env === undefined ? process.env : { ...process.env, ...env } });
    const [wall, u, s, kib] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    rmSync(out, { force: true });
    const res = { wall, cpu: u + s, rssMB: (kib * 1024) / 1e6, status: r.status, stderr: r.stderr };
    if (best === undefined || res.cpu < best.cpu) best = { ...res, wall: Math.min(res.wall, best?.wall ?? Infinity) };
    else best.wall = Math.min(best.wall, res.wall);
  }
  return best;
}

const cli = (d) => join(d, 'cli.js');
const rows = [];
let notJudged = false;

function row(r) {
  rows.push(r);
  const f = (x, d = 2) => (x === undefined ? '-' : x.toFixed(d));
  console.log(
    `${r.input} ${r.mode}: ${f(r.wall)} s wall, ${f(r.cpu)} s CPU, ${f(r.rssMB, 0)} MB peak RSS` +
      (r.before ? ` | before: ${f(r.before.wall)} s wall, ${f(r.before.cpu)} s CPU, ${f(r.before.rssMB, 0)} MB` : '') +
      (r.xCpu !== undefined ? ` | ${f(r.xWall, 1)}× tshark wall, ${f(r.xCpu, 1)}× CPU` : '') +
      ` → ${r.verdict}`,
  );
}

/** Judges a row against its checks ([ok, what] pairs, ok undefined = not judged). */
function judge(checks) {
  const missed = checks.filter(([ok]) => ok === false).map(([, w]) => w);
  const unjudged = checks.filter(([ok]) => ok === undefined).map(([, w]) => w);
  if (unjudged.length > 0) notJudged = true;
  if (missed.length > 0) return `MISSED (${missed.join('; ')})`;
  if (unjudged.length > 0) return `not judged (${unjudged.join('; ')})`;
  return 'OK';
}

function ajpArgs(mode, file) {
  const a = mode === 'frames' ? ['frames', file] : [file];
  a.push('--ajp-port', '18009');
  if (mode !== 'text') a.push('-T', 'json');
  return a;
}

function captureRows(file, label, ratioTarget, rssTarget, modesHere) {
  const size = statSync(file).size;
  let ts;
  if (useTshark) {
    ts = timed('tshark', ['-n', '-r', file, '-Y', 'ajp13', '-d', 'tcp.port==18009,ajp13']);
    rows.push({ input: label, mode: 'tshark -Y ajp13', size, ...ts, verdict: '(reference)' });
    console.log(`${label} tshark -Y ajp13: ${ts.wall.toFixed(2)} s wall, ${ts.cpu.toFixed(2)} s CPU, ${ts.rssMB.toFixed(0)} MB peak RSS`);
  }
  for (const mode of modesHere) {
    const r = timed(process.execPath, [cli(dist), ...ajpArgs(mode, file)]);
    if (r.status !== 0 && r.status !== 1) throw new Error(`ajp-inspect ${mode} on ${file} exited ${r.status}: ${r.stderr}`);
    const b = before === undefined ? undefined : timed(process.execPath, [cli(before), ...ajpArgs(mode, file)]);
    const xCpu = ts === undefined ? undefined : ts.cpu / r.cpu;
    const xWall = ts === undefined ? undefined : ts.wall / r.wall;
    const checks = [[r.rssMB <= rssTarget, `peak RSS ≤ ${rssTarget.toFixed(0)} MB`]];
    if (mode === 'json') checks.push([xCpu === undefined ? undefined : xCpu >= ratioTarget, `≥ ${ratioTarget}× tshark CPU`]);
    row({ input: label, mode: `ajp-inspect ${mode === 'frames' ? 'frames -T json' : mode === 'json' ? '-T json' : '(text)'}`, size, ...r, before: b, xCpu, xWall, target: checks.map(([, w]) => w).join(', '), verdict: judge(checks) });
  }
}

const samples = join(root, 'samples');
try {
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs; tshark ${useTshark ? 'runs' : 'not run'}; best of ${runs} by CPU`);
  if (only.includes('startup')) {
    const small = join(samples, 'backend-down', 'capture.pcap');
    const n0 = timed(process.execPath, ['-e', '0'], 5);
    rows.push({ input: 'start-up', mode: 'node -e 0', ...n0, verdict: '(reference)' });
    for (const [mode, a] of [
      ['--version', ['--version']],
      ['small capture (backend-down, 35 kB)', [small, '--ajp-port', '18009']],
    ]) {
      const r = timed(process.execPath, [cli(dist), ...a], 5);
      const b = before === undefined ? undefined : timed(process.execPath, [cli(before), ...a], 5);
      row({ input: 'start-up', mode, ...r, before: b, target: '≤ 0.15 s wall', verdict: judge([[r.wall <= 0.15, '≤ 0.15 s wall']]) });
    }
    // The runs above use the code cache in the user's cache folder (src/cli/launch.ts; the first of
    // them makes it when there is none). A first run, or one where no cache can be written: the
    // cache folder placed under a file.
    const noCache = { XDG_CACHE_HOME: join(small, 'no-cache'), HOME: join(small, 'no-cache') };
    const r = timed(process.execPath, [cli(dist), small, '--ajp-port', '18009'], 5, noCache);
    row({ input: 'start-up', mode: 'small capture, no code cache (a first run)', ...r, verdict: '(reference)' });
  }
  if (only.includes('capture')) {
    for (const mb of sizes) {
      const file = join(dir, `pooled-${mb}MB.pcap`);
      if (!existsSync(file)) {
        const t = Date.now();
        const g = pooled(file, mb * 1e6, samples);
        console.log(`built ${file}: ${(g.bytes / 1e6).toFixed(0)} MB, ${g.packets} packets (${(g.bytes / g.packets).toFixed(0)} B/packet), ${g.copies} copies of the samples (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
      captureRows(file, `capture ${mb} MB`, mb < 300 ? 4 : mb < 1000 ? 10 : 15, 256, modes);
    }
  }
  if (only.includes('open')) {
    const file = join(dir, `open-${openN}.pcap`);
    if (!existsSync(file)) {
      const g = manyOpen(file, openN, samples);
      console.log(`built ${file}: ${(g.bytes / 1e6).toFixed(0)} MB, ${g.connections} AJP connections open at the end (${g.perConnection} packets each)`);
    }
    captureRows(file, `${openN} open connections`, 2, 112 + (2000 * openN) / 1e6, ['json']);
  }
  if (only.includes('logs')) {
    const logs = lineCounts
      .map((n) => ({ n, kind: 'mod_jk' }))
      .concat(noiseLines > 0 ? [{ n: noiseLines, kind: 'noise' }] : [], outageLines > 0 ? [{ n: outageLines, kind: 'outage' }] : []);
    for (const { n, kind } of logs) {
      const file = join(dir, `${kind}-${n}.log`);
      if (!existsSync(file)) await writeLog(file, n, { noise: kind === 'noise', outage: kind === 'outage' });
      const r = timed(process.execPath, [cli(dist), 'diagnose', file, '-T', 'json']);
      const b = before === undefined ? undefined : timed(process.execPath, [cli(before), 'diagnose', file, '-T', 'json']);
      const cpuTarget = (2 * n) / 1e6;
      const checks = [
        [r.cpu <= cpuTarget, `≤ ${cpuTarget.toFixed(1)} s CPU`],
        [r.rssMB <= 256, 'peak RSS ≤ 256 MB'],
      ];
      row({ input: `${n.toLocaleString('en')} ${kind} lines`, mode: 'diagnose -T json', size: statSync(file).size, ...r, before: b, target: checks.map(([, w]) => w).join(', '), verdict: judge(checks) });
    }
  }
} finally {
  cleanup();
}

// The summary table.
const f = (x, d) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const head = ['input', 'run', 'MB', 'wall s', 'CPU s', 'MB/CPU s', 'RSS MB'];
if (before !== undefined) head.push('before wall', 'before CPU', 'before RSS');
head.push('×tshark wall', '×tshark CPU', 'result');
const body = rows.map((r) => {
  const c = [r.input, r.mode, f(r.size === undefined ? undefined : r.size / 1e6, 0), f(r.wall, 2), f(r.cpu, 2), f(r.size === undefined ? undefined : r.size / 1e6 / r.cpu, 0), f(r.rssMB, 0)];
  if (before !== undefined) c.push(f(r.before?.wall, 2), f(r.before?.cpu, 2), f(r.before?.rssMB, 0));
  c.push(f(r.xWall, 1), f(r.xCpu, 1), r.verdict);
  return c;
});
const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
const line = (cells) => cells.map((c, i) => (i <= 1 || i === cells.length - 1 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ').trimEnd();
console.log(`\n== summary (MB = 10^6 bytes; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs: read the ratios, measured in this run)`);
console.log(line(head));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
for (const b of body) console.log(line(b));
const missed = rows.filter((r) => r.verdict.startsWith('MISSED')).length;
console.log(missed > 0 ? `${missed} target(s) MISSED` : notJudged ? 'targets met where judged; some not judged' : 'all targets met');
process.exitCode = missed > 0 ? 1 : notJudged && !args.includes('--no-tshark') ? 2 : 0;
