#!/usr/bin/env node
/**
 * Would two threads pay (issue 14, point 6)? Measures, on captures given, what a split at the TCP →
 * protocol-vertical seam could give at best: a reader thread doing capture → net → tcp and handing
 * the in-order stream bytes and events over a shared ring, the main thread doing AJP, MCMP, the
 * detectors, the rules and the report.
 *
 *   node scripts/bench-split.mjs [--runs N] FILE… (run `npm run build` first; AJP_INSPECT_DIST=DIR for another build)
 *
 * For each file, best of --runs (default 2) by CPU, each in a child process under /usr/bin/time:
 *  - full:  the CLI, `FILE --ajp-port 18009 -T json` to /dev/null (what `npm run bench` times);
 *  - read:  inspectCapture with a sink that only touches what it is handed (stage A alone);
 *  - ring:  the same, each chunk's bytes also copied into a 4 MiB ring with its stream, time, offset
 *           and frame numbers (what handing stage A's output to another thread costs at least).
 * Then: stage B = full − read; the two-thread CPU is at least full + (ring − read), and its wall at
 * best max(ring, B) (a perfect pipeline, no waiting, no start-up or report on the critical path
 * counted twice). Threads cannot lower the CPU-time targets; this says what they could do for wall.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.AJP_INSPECT_DIST ?? join(here, '..', 'dist');
const args = process.argv.slice(2);

if (args[0] === '--stage') {
  await stage(args[1], args[2]);
} else {
  main();
}

/** Stage A in this process: `mode` 'read' (touch only) or 'ring' (copy into a ring too). */
async function stage(mode, file) {
  const { inspectCapture } = await import(pathToFileURL(join(dist, 'inspect', 'index.js')).href);
  const ring = Buffer.alloc(1 << 22);
  const meta = new Float64Array(1 << 16);
  let at = 0;
  let mi = 0;
  let bytes = 0;
  const sink = {
    onStreamStart(info) {
      meta[mi++ & 0xffff] = info.id;
    },
    onData(c) {
      // The chunk's bytes in place (tcp ChunkOut) or as a view.
      const src = c.bytes ?? c.data;
      const s = c.bytes === undefined ? 0 : c.start;
      const e = c.bytes === undefined ? c.data.length : c.end;
      bytes += e - s;
      if (mode === 'ring') {
        if (at + (e - s) > ring.length) at = 0;
        src.copy(ring, at, s, e);
        at += e - s;
        meta[mi++ & 0xffff] = c.stream;
        meta[mi++ & 0xffff] = c.ts;
        meta[mi++ & 0xffff] = c.offset;
        for (const f of c.frames) meta[mi++ & 0xffff] = f;
      }
    },
    onEvent(ev) {
      if (mode === 'ring') meta[mi++ & 0xffff] = ev.frame;
    },
    onStreamEnd(sum) {
      meta[mi++ & 0xffff] = sum.lastFrame;
    },
  };
  const run = await inspectCapture(file, { sinks: [sink] });
  process.stdout.write(`${JSON.stringify({ packets: run.packets, bytes })}\n`);
}

function timed(cmdArgs) {
  const out = join(tmpdir(), `bench-split-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, process.execPath, ...cmdArgs], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const [wall, u, s, kib] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  rmSync(out, { force: true });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmdArgs.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: u + s, rssMB: (kib * 1024) / 1e6 };
}

function best(cmdArgs, n) {
  let b;
  for (let i = 0; i < n; i++) {
    const r = timed(cmdArgs);
    if (b === undefined || r.cpu < b.cpu) b = r;
  }
  return b;
}

function main() {
  const i = args.indexOf('--runs');
  const runs = i >= 0 ? Number(args[i + 1]) : 2;
  const files = args.filter((a, k) => !(a === '--runs' || (i >= 0 && k === i + 1)));
  if (files.length === 0 || !existsSync('/usr/bin/time')) {
    console.error('usage: node scripts/bench-split.mjs [--runs N] FILE… (needs /usr/bin/time and a build in dist/)');
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; CPU-s, best of ${runs}`);
  for (const file of files) {
    const full = best([join(dist, 'cli.js'), file, '--ajp-port', '18009', '-T', 'json'], runs);
    const read = best([self, '--stage', 'read', file], runs);
    const ring = best([self, '--stage', 'ring', file], runs);
    const b = full.cpu - read.cpu;
    const wall = Math.max(ring.cpu, b);
    const mb = statSync(file).size / 1e6;
    console.log(
      `${file} (${mb.toFixed(0)} MB): full ${full.cpu.toFixed(2)}, stage A ${read.cpu.toFixed(2)} (${((100 * read.cpu) / full.cpu).toFixed(0)} %), ` +
        `ring hand-over +${(ring.cpu - read.cpu).toFixed(2)}, stage B ${b.toFixed(2)} → two threads: CPU ≥ ${(full.cpu + ring.cpu - read.cpu).toFixed(2)}, ` +
        `wall ≥ ${wall.toFixed(2)} (at best ${(full.cpu / wall).toFixed(2)}× faster than one thread's ${full.cpu.toFixed(2)})`,
    );
  }
}
