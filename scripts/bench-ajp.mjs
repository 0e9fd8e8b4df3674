#!/usr/bin/env node
/**
 * Bench for the AJP layer on real traffic: the full pipeline (capture → net → tcp) plus the AJP
 * decode, state machine and timelines (AjpAnalyzer, as the default command runs it), on a large
 * capture built by repeating a samples/ capture with shifted client ports and times. Then tshark's
 * time for `tshark -n -r F -Y ajp13 -d tcp.port==P,ajp13` on the same file. Plain JS over dist/.
 *
 *   node scripts/bench-ajp.mjs [--size MB] [--src samples/baseline/capture.pcap] [--port 18009]
 *                              [--file F] [--runs N] [--no-tshark] [--keep] [--json]
 *
 * Best of N runs (default 3) for ours and for tshark, wall and CPU time each (the machine has 2
 * cores and may be busy: CPU time is the steadier figure). --json ends with one line
 * `BENCH-JSON {...}` that scripts/bench.mjs reads for its summary table.
 *
 * Targets (issue 4): >= 10x tshark's speed, <= 256 MB peak RSS on a 1 GB capture.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = process.env.AJP_INSPECT_DIST ?? join(root, 'dist');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};

if (args[0] === '--run') await runOnce(args[1], Number(args[2]), args[3] === 'noop');
else await main();

/** Child process: one pass, result as one JSON line on stdout. */
async function runOnce(file, port, noop) {
  const { inspectCapture } = await import(join(dist, 'inspect', 'index.js'));
  const { AjpCaptureAnalyzer } = await import(join(dist, 'timeline', 'index.js'));
  const ajp = new AjpCaptureAnalyzer({ ajpPorts: [port], requestLimit: 5000 });
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  // noop: the same pipeline with a sink that takes every chunk and does nothing (the AJP layer's share).
  const run = await inspectCapture(file, { sinks: [noop ? { onData() {}, onEvent() {}, onStreamStart() {}, onStreamEnd() {} } : ajp.sink] });
  const r = ajp.result();
  const report = { capture: { packets: run.packets, tcpStreams: run.tcpStreams } };
  ajp.addTo(report, run);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  clearInterval(timer);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({ secs, cpu, packets: run.packets, tcpStreams: run.tcpStreams, connections: r.connections, requests: r.requests, frames: r.frames, violations: r.violationCounts, peakRss: Math.max(peak, maxRss) }) + '\n',
  );
}

/** Classic pcap only (what tcpdump writes): header + records. */
function readPcap(path) {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${path}: not a little-endian classic pcap`);
  const recs = [];
  let o = 24;
  while (o + 16 <= b.length) {
    const incl = b.readUInt32LE(o + 8);
    recs.push(b.subarray(o, o + 16 + incl));
    o += 16 + incl;
  }
  return { header: b.subarray(0, 24), recs, linkType: b.readUInt32LE(20) };
}

/** Offset of the TCP header in an Ethernet/IPv4 or SLL2/IPv4 frame, or -1. */
function tcpOffset(frame, linkType) {
  let l2;
  let etherType;
  if (linkType === 1) {
    l2 = 14;
    etherType = frame.readUInt16BE(12);
  } else if (linkType === 276) {
    l2 = 20;
    etherType = frame.readUInt16BE(0);
  } else return -1;
  if (etherType !== 0x0800 || frame[l2 + 9] !== 6) return -1;
  return l2 + (frame[l2] & 0x0f) * 4;
}

function build(src, file, targetBytes, port) {
  const { header, recs, linkType } = readPcap(src);
  const first = recs[0].readUInt32LE(0) + recs[0].readUInt32LE(4) / 1e6;
  const last = recs.at(-1).readUInt32LE(0) + recs.at(-1).readUInt32LE(4) / 1e6;
  const span = Math.ceil(last - first) + 1;
  const fd = openSync(file, 'w');
  writeSync(fd, header);
  let written = header.length;
  let rep = 0;
  const batch = [];
  let batchBytes = 0;
  while (written < targetBytes) {
    for (const r of recs) {
      const c = Buffer.from(r);
      c.writeUInt32LE(c.readUInt32LE(0) + rep * span, 0);
      const t = tcpOffset(c.subarray(16), linkType);
      if (t >= 0) {
        // Shift the client (non-server) port so every repetition is a new set of connections.
        for (const at of [16 + t, 16 + t + 2]) {
          const p = c.readUInt16BE(at);
          if (p !== port && p !== 18080) c.writeUInt16BE(1024 + ((p - 1024 + rep * 37) % 64000), at);
        }
      }
      batch.push(c);
      batchBytes += c.length;
      if (batchBytes > 8 << 20) {
        writeSync(fd, Buffer.concat(batch));
        written += batchBytes;
        batch.length = 0;
        batchBytes = 0;
      }
    }
    rep++;
  }
  if (batch.length > 0) {
    writeSync(fd, Buffer.concat(batch));
    written += batchBytes;
  }
  closeSync(fd);
  return rep;
}

async function main() {
  const port = Number(opt('port', '18009'));
  const sizeMb = Number(opt('size', '1024'));
  const src = opt('src', join(root, 'samples', 'baseline', 'capture.pcap'));
  let file = opt('file', undefined);
  let dir;
  if (file === undefined) {
    if (!existsSync(src)) throw new Error(`${src} not found`);
    dir = mkdtempSync(join(tmpdir(), 'ajp-bench-'));
    file = join(dir, 'bench.pcap');
    const t = Date.now();
    const reps = build(src, file, sizeMb * 1024 * 1024, port);
    console.log(`built ${file}: ${(statSync(file).size / 1048576).toFixed(0)} MB, ${reps} copies of ${src} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  const size = statSync(file).size;
  const runs = Number(opt('runs', '3'));
  const summary = { size, runs };
  try {
    const all = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--run', file, String(port)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
      all.push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
    }
    // Best of N: the fastest run by wall time, with the lowest CPU time and the highest peak RSS of all runs.
    const res = { ...all.reduce((a, b) => (b.secs < a.secs ? b : a)), cpu: Math.min(...all.map((x) => x.cpu)), peakRss: Math.max(...all.map((x) => x.peakRss)) };
    Object.assign(summary, { secs: res.secs, cpu: res.cpu, peakRss: res.peakRss, packets: res.packets, connections: res.connections, requests: res.requests });
    console.log(`runs: ${all.map((x) => `${x.secs.toFixed(2)} s wall / ${x.cpu.toFixed(2)} s CPU`).join(', ')}`);
    const mbs = size / 1048576 / res.secs;
    const load = (await import('node:os')).loadavg()[0];
    console.log(`load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs: compare CPU times when the machine is busy`);
    console.log(`ajp-inspect: ${res.secs.toFixed(2)} s wall, ${res.cpu.toFixed(2)} s CPU, ${mbs.toFixed(0)} MB/s wall, ${(size / 1048576 / res.cpu).toFixed(0)} MB/s per CPU second, peak RSS ${(res.peakRss / 1048576).toFixed(0)} MB; ` +
      `${res.packets} packets, ${res.tcpStreams} TCP streams, ${res.connections} AJP connections, ${res.requests} requests`);
    console.log(`  frames: ${Object.entries(res.frames).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (Object.keys(res.violations).length > 0) console.log(`  violations: ${JSON.stringify(res.violations)}`);
    const n = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--run', file, String(port), 'noop'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (n.status === 0) {
      const base = JSON.parse(n.stdout.trim().split('\n').at(-1));
      console.log(`  of which capture/net/tcp alone (no-op sink): ${base.secs.toFixed(2)} s wall, ${base.cpu.toFixed(2)} s CPU; the AJP decode + timelines add ${(res.cpu - base.cpu).toFixed(2)} s CPU (${(size / 1048576 / Math.max(res.cpu - base.cpu, 0.001)).toFixed(0)} MB per CPU second)`);
      summary.pipelineCpu = base.cpu;
    }
    if (!args.includes('--no-tshark')) {
      const which = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
      if (which.status === 0) {
        let secs = Infinity;
        let cpu = Infinity;
        let rss = 0;
        let status = 0;
        for (let i = 0; i < runs; i++) {
          const t = process.hrtime.bigint();
          // bash's `time` gives tshark's user+system CPU seconds (TIMEFORMAT), printed on stderr;
          // /usr/bin/time (when present) its peak RSS.
          const cmd = `tshark -n -r '${file}' -Y ajp13 -d tcp.port==${port},ajp13 > /dev/null 2>/dev/null`;
          const rssFile = join(tmpdir(), `ajp-bench-tshark-rss-${process.pid}`);
          const timed = existsSync('/usr/bin/time') ? `/usr/bin/time -f '%M' -o '${rssFile}' ${cmd}` : cmd;
          const ts = spawnSync('/bin/bash', ['-c', `TIMEFORMAT='%U %S'; time (${timed})`], { encoding: 'utf8' });
          secs = Math.min(secs, Number(process.hrtime.bigint() - t) / 1e9);
          const [u, sy] = ts.stderr.trim().split('\n').at(-1).split(' ').map(Number);
          cpu = Math.min(cpu, u + sy);
          if (existsSync(rssFile)) {
            rss = Math.max(rss, Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) * 1024 || 0);
            rmSync(rssFile, { force: true });
          }
          status = ts.status;
        }
        Object.assign(summary, { tsharkSecs: secs, tsharkCpu: cpu, tsharkRss: rss });
        console.log(`tshark -Y ajp13 (best of ${runs}): ${secs.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${(size / 1048576 / secs).toFixed(0)} MB/s wall${rss > 0 ? `, peak RSS ${(rss / 1048576).toFixed(0)} MB` : ''} (exit ${status})`);
        console.log(`ajp-inspect is ${(secs / res.secs).toFixed(1)}x faster by wall time, ${(cpu / res.cpu).toFixed(1)}x by CPU time`);
      } else console.log('tshark not installed: no comparison');
    }
    if (args.includes('--json')) console.log(`BENCH-JSON ${JSON.stringify(summary)}`);
  } finally {
    if (dir !== undefined && !args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}
