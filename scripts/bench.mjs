#!/usr/bin/env node
/**
 * `npm run bench`: every speed target, one summary table at the end.
 *  1. This script's own bench: inspectCapture = capture/ + net/ + tcp/ (reassembly, events, stream
 *     summaries) with no-op sinks that still receive every in-order chunk (issue 2: >= 500 MB/s,
 *     <= 200 MB RSS).
 *  2. scripts/bench-ajp.mjs: the full AJP decode + timelines on >= 1 GB built from samples/baseline,
 *     against `tshark -Y ajp13` on the same file (issue 4: >= 10x tshark, <= 256 MB RSS on 1 GB).
 *  3. scripts/bench-diagnose.mjs: readLogs + diagnose on 1,000,000 mod_jk lines (<= 3 s).
 * Plain JS over dist/ (`npm run bench` builds first). Each script also runs on its own.
 *
 *   node scripts/bench.mjs [--size MB] [--file F] [--runs N] [--engine pcap-parser|direct|both] [--no-tshark] [--keep]
 *                          [--ajp-size MB] [--no-ajp] [--no-diagnose] [--diagnose-lines N]
 *
 * Synthesises a classic pcap (default 520 MB) of many short AJP-like connections in os.tmpdir()
 * (handshake, CPING/CPONG, FORWARD_REQUEST + body, SEND_HEADERS, SEND_BODY_CHUNKs, END_RESPONSE, a
 * second request, FIN/FIN/ACK; 1 in 50 connections with a retransmitted, 1 in 50 with reordered
 * segments; client ports cycle, so 4-tuples are reused as in real pools), then runs the pipeline in
 * a child process (best of N) and prints MB/s, packets/s and peak RSS; then tshark's time on the
 * same file (`tshark -n -r F -q -z conv,tcp`) when installed. Targets for this layer: >= 500 MB/s, <= 200 MB RSS.
 * The file comes from scripts/lib/synth-capture.mjs, profile 'pipeline'.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTempDir, bestOf, hasTshark, options, timeTshark } from './lib/bench-util.mjs';
import { describeSynth, generate } from './lib/synth-capture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.AJP_INSPECT_DIST ?? join(here, '..', 'dist');
const args = process.argv.slice(2);
const opt = options(args);

if (args[0] === '--run') await runOnce(args[1], args[2]);
else await main();

/** Child: one pipeline pass, result as one JSON line. */
async function runOnce(file, engine) {
  const { inspectCapture } = await import(join(dist, 'inspect', 'index.js'));
  let chunks = 0;
  let bytes = 0;
  let events = 0;
  const sink = {
    onData(c) {
      chunks++;
      bytes += c.data.length;
    },
    onEvent() {
      events++;
    },
  };
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const run = await inspectCapture(file, { sinks: [sink], maxStreams: 1000, pcapEngine: engine });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  process.stdout.write(
    JSON.stringify({
      secs,
      cpu: (cu.user + cu.system) / 1e6,
      size: statSync(file).size,
      packets: run.packets,
      tcpPackets: run.tcpPackets,
      streams: run.tcpStreams,
      chunks,
      delivered: bytes,
      events,
      maxRssKiB: process.resourceUsage().maxRSS,
    }) + '\n',
  );
}

async function main() {
  const sizeMB = Number(opt('size', '520'));
  const runsN = Number(opt('runs', '3'));
  const engineOpt = opt('engine', 'both');
  const engines = engineOpt === 'both' ? ['pcap-parser', 'direct'] : [engineOpt];
  const given = opt('file', undefined);
  /** Rows of the final table. */
  const rows = [];
  const tmp = given === undefined ? benchTempDir(args.includes('--keep')) : undefined;
  const file = given ?? join(tmp.dir, 'bench.pcap');
  try {
    let gen;
    if (given === undefined) {
      const g0 = Date.now();
      // The 'pipeline' mix: retransmissions, reordering and reused 4-tuples (see lib/synth-capture.mjs).
      gen = generate(file, sizeMB * 1e6, { profile: 'pipeline', format: 'pcap' });
      console.log(describeSynth(file, gen, Date.now() - g0));
    }
    for (const engine of engines) {
      const runs = bestOf(runsN, fileURLToPath(import.meta.url), ['--run', file, engine], 'pipeline');
      const best = runs[0];
      const rss = Math.max(...runs.map((r) => r.maxRssKiB)) / 1024;
      const cpu = Math.min(...runs.map((r) => r.cpu));
      rows.push({
        what: `capture+net+tcp (${engine}${engine === 'direct' ? ', default' : ''})`,
        size: best.size,
        secs: best.secs,
        cpu,
        rssMB: (rss * 1024 * 1024) / 1e6,
        target: '>= 500 MB/s, <= 200 MB RSS',
        ok: best.size / 1e6 / best.secs >= 500 && (rss * 1024 * 1024) / 1e6 <= 200,
      });
      console.log(
        `inspectCapture [pcap engine ${engine}] (capture + net + tcp, no-op sinks): best of ${runsN} ${best.secs.toFixed(2)} s ` +
          `(runs ${runs.map((r) => r.secs.toFixed(2)).join(', ')}) = ${(best.size / 1e6 / best.secs).toFixed(0)} MB/s, ` +
          `${(best.packets / best.secs / 1e6).toFixed(2)} M packets/s, peak RSS ${rss.toFixed(0)} MB`,
      );
      console.log(
        `  packets ${best.packets}, TCP ${best.tcpPackets}, streams ${best.streams}, chunks delivered ${best.chunks} (${(best.delivered / 1e6).toFixed(0)} MB), TCP events ${best.events}`,
      );
      if (gen !== undefined && (best.packets !== gen.packets || best.streams !== gen.connections)) {
        console.log(`  MISMATCH: generated ${gen.packets} packets / ${gen.connections} connections`);
      }
    }
    if (!args.includes('--no-tshark') && hasTshark()) {
      // -z conv,tcp makes tshark dissect every packet down to TCP (with -q alone and no tap it
      // barely dissects: ~1 s for 520 MB, not a comparison).
      const { secs, cpu, rssKiB } = timeTshark(['-n', '-r', file, '-q', '-z', 'conv,tcp']);
      console.log(
        `tshark -n -r FILE -q -z conv,tcp (same file): ${secs.toFixed(1)} s = ${(statSync(file).size / 1e6 / secs).toFixed(0)} MB/s, ${cpu.toFixed(2)} s CPU` +
          (Number.isFinite(rssKiB) && rssKiB > 0 ? `, peak RSS ${(rssKiB / 1024).toFixed(0)} MB` : ''),
      );
      rows.push({ what: 'tshark -q -z conv,tcp (same file)', size: statSync(file).size, secs, cpu, rssMB: (rssKiB * 1024) / 1e6, target: '(reference)' });
    }
  } finally {
    tmp?.cleanup();
  }
  if (!args.includes('--no-ajp')) rows.push(...ajpBench());
  if (!args.includes('--no-diagnose')) rows.push(...diagnoseBench(), ...diagnoseBench('noise'));
  summaryTable(rows);
}

/** Runs scripts/bench-ajp.mjs (it builds and deletes its own capture) and reads its BENCH-JSON line. */
function ajpBench() {
  const a = ['--json', '--size', opt('ajp-size', '1024'), '--runs', opt('runs', '3')];
  if (args.includes('--no-tshark')) a.push('--no-tshark');
  console.log(`\n== full AJP decode + timelines: node scripts/bench-ajp.mjs ${a.join(' ')}`);
  const r = spawnSync(process.execPath, [join(here, 'bench-ajp.mjs'), ...a], { encoding: 'utf8', maxBuffer: 64 << 20, env: process.env });
  const out = r.stdout ?? '';
  process.stdout.write(out.split('\n').filter((l) => !l.startsWith('BENCH-JSON ')).join('\n'));
  if (r.status !== 0) {
    console.log(`bench-ajp failed (exit ${r.status}): ${r.stderr}`);
    return [{ what: 'AJP decode + timelines', failed: true, target: '>= 10x tshark -Y ajp13, <= 256 MB RSS on 1 GB' }];
  }
  const line = out.split('\n').find((l) => l.startsWith('BENCH-JSON '));
  const j = JSON.parse(line.slice('BENCH-JSON '.length));
  const rows = [];
  const hasTshark = j.tsharkSecs !== undefined;
  const xWall = hasTshark ? j.tsharkSecs / j.secs : undefined;
  const xCpu = hasTshark ? j.tsharkCpu / j.cpu : undefined;
  rows.push({
    what: 'AJP decode + timelines (full pipeline)',
    size: j.size,
    secs: j.secs,
    cpu: j.cpu,
    rssMB: j.peakRss / 1e6,
    target: '>= 10x tshark -Y ajp13, <= 256 MB RSS on 1 GB',
    note: hasTshark ? `${xWall.toFixed(1)}x tshark by wall, ${xCpu.toFixed(1)}x by CPU` : 'tshark not run',
    ok: hasTshark ? xWall >= 10 && j.peakRss / 1e6 <= 256 : undefined,
  });
  if (hasTshark) rows.push({ what: 'tshark -Y ajp13 (same file)', size: j.size, secs: j.tsharkSecs, cpu: j.tsharkCpu, rssMB: j.tsharkRss > 0 ? j.tsharkRss / 1e6 : undefined, target: '(reference)' });
  return rows;
}

/**
 * Runs scripts/bench-diagnose.mjs (its own output) and reads its figures from its text: mod_jk lines,
 * then (`noise`) lines of other programs that only the message layer reads.
 */
function diagnoseBench(mode = '') {
  const lines = opt('diagnose-lines', '1000000');
  console.log(`\n== logs: node scripts/bench-diagnose.mjs ${lines} ${mode}`);
  const rssFile = join(tmpdir(), `ajp-bench-diagnose-${process.pid}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, process.execPath, join(here, 'bench-diagnose.mjs'), lines, ...(mode ? [mode] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  process.stdout.write(r.stdout ?? '');
  let timed = [];
  try {
    timed = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  } catch {
    // no /usr/bin/time figures
  }
  rmSync(rssFile, { force: true });
  const out = r.stdout ?? '';
  const total = /total\s*:\s*([\d.]+) s/.exec(out);
  const gen = /generated ([\d,]+) (?:noise )?lines \(([\d.]+) MB\)/.exec(out);
  if (r.status !== 0 || total === null || gen === null) {
    console.log(`bench-diagnose failed (exit ${r.status}): ${r.stderr}`);
    return [{ what: 'logs: readLogs + diagnose', failed: true, target: '<= 3 s per 1,000,000 lines' }];
  }
  const secs = Number(total[1]);
  const n = Number(gen[1].replace(/,/g, ''));
  return [
    {
      what: `logs: readLogs + diagnose (${gen[1]} ${mode ? `${mode} ` : ''}lines)`,
      size: Number(gen[2]) * 1e6,
      secs,
      // The child's CPU includes generating the log file: shown as an upper bound.
      cpu: timed.length === 3 ? timed[1] + timed[2] : undefined,
      cpuNote: 'incl. generating the file',
      rssMB: timed.length === 3 ? (timed[0] * 1024) / 1e6 : undefined,
      target: '<= 3 s per 1,000,000 lines',
      ok: secs <= (3 * n) / 1e6,
    },
  ];
}

function summaryTable(rows) {
  const f = (x, d) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  const head = ['bench', 'MB', 'wall s', 'MB/s', 'CPU s', 'MB/CPU s', 'peak RSS MB', 'target', 'result'];
  const body = rows.map((r) =>
    r.failed
      ? [r.what, '-', '-', '-', '-', '-', '-', r.target, 'FAILED']
      : [
          r.what,
          f(r.size / 1e6, 0),
          f(r.secs, 2),
          f(r.size / 1e6 / r.secs, 0),
          f(r.cpu, 2) + (r.cpuNote !== undefined && r.cpu !== undefined ? '*' : ''),
          f(r.size / 1e6 / r.cpu, 0),
          f(r.rssMB, 0),
          r.target,
          (r.ok === undefined ? '' : r.ok ? 'OK' : 'MISSED') + (r.note ? ` (${r.note})` : ''),
        ],
  );
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 7 || i === 8 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ').trimEnd();
  console.log(`\n== summary (MB = 10^6 bytes; best of runs; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs: compare CPU times when busy)`);
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) console.log(line(b));
  if (rows.some((r) => r.cpuNote !== undefined)) console.log('* CPU of the whole child process, generating its input included');
}
