#!/usr/bin/env node
/**
 * Bench for the capture/ + net/ layers (plain JS over dist/; run `npm run build` first).
 *
 *   node scripts/bench-capture.mjs [--size MB] [--format pcap|pcapng|both] [--engine pcap-parser|direct|both] [--no-tshark] [--keep]
 *
 * Synthesises a classic pcap and then a pcapng file (default 520 MB each) of many short AJP-like connections in os.tmpdir()
 * (handshake, CPing/CPong, FORWARD_REQUEST, SEND_HEADERS, SEND_BODY_CHUNKs, END_RESPONSE, a second
 * request on the same connection, FIN/FIN/ACK), reads it through openCapture + decodeTcp in a child
 * process per engine (three runs each), and prints MB/s (wall clock, and per CPU second, which is
 * steadier on a busy machine) and peak RSS; then times tshark on the same file when it is installed
 * (`-q`, which only frames, and `-q -z conv,tcp`, which dissects IP/TCP of every packet). The temp file is deleted at the end (unless --keep).
 * Targets for this layer: >= 500 MB/s, <= 200 MB RSS.
 * The files come from scripts/lib/synth-capture.mjs, profile 'capture'.
 */
import { rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTempDir, bestOf, hasTshark, options, timeTshark } from './lib/bench-util.mjs';
import { describeSynth, generate } from './lib/synth-capture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.AJP_INSPECT_DIST ?? join(here, '..', 'dist');
const args = process.argv.slice(2);
const opt = options(args);

if (args[0] === '--read') {
  await readOnly(args[1], args[2]);
} else {
  await main();
}

async function readOnly(file, engine) {
  const { openCapture } = await import(join(dist, 'capture', 'index.js'));
  const { decodeTcp, newNetCounters } = await import(join(dist, 'net', 'index.js'));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const reader = await openCapture(file, { pcapEngine: engine });
  const counters = newNetCounters();
  let payload = 0;
  let ajpPackets = 0;
  await reader.read((p) => {
    const s = decodeTcp(p, counters);
    if (s !== null) {
      payload += s.payloadLenOnWire;
      // Touch what the next stage reads: the AJP magic (0x1234 to the server, 'AB' from it).
      if (s.payload.length >= 2 && ((s.payload[0] === 0x12 && s.payload[1] === 0x34) || (s.payload[0] === 0x41 && s.payload[1] === 0x42))) ajpPackets++;
    }
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpuSecs = (cu.user + cu.system) / 1e6;
  const bytes = statSync(file).size;
  process.stdout.write(
    JSON.stringify({ engine, secs, cpuSecs, bytes, packets: counters.packets, tcp: counters.tcp, payload, ajpPackets, maxRssKiB: process.resourceUsage().maxRSS, warnings: reader.warnings.length }) + '\n',
  );
}

async function main() {
  const sizeMB = Number(opt('size', '520'));
  const engineOpt = opt('engine', 'both');
  const engines = engineOpt === 'both' ? ['pcap-parser', 'direct'] : [engineOpt];
  const { dir, cleanup } = benchTempDir(args.includes('--keep'));
  try {
    const formats = opt('format', 'both') === 'both' ? ['pcap', 'pcapng'] : [opt('format')];
    let gen;
    for (const format of formats) {
      const file = join(dir, `bench.${format}`);
      const g0 = Date.now();
      // The 'capture' mix: plain connections, no reused 4-tuples (see lib/synth-capture.mjs).
      gen = generate(file, sizeMB * 1e6, { profile: 'capture', format });
      console.log(describeSynth(file, gen, Date.now() - g0));
      for (const engine of format === 'pcap' ? engines : ['(pcapng reader)']) {
        const runs = bestOf(3, fileURLToPath(import.meta.url), ['--read', file, engine], `reader (${engine})`, 1024 * 1024);
        const best = runs[0];
        const rss = Math.max(...runs.map((r) => r.maxRssKiB)) / 1024;
        const cpu = Math.min(...runs.map((r) => r.cpuSecs));
        console.log(
          `capture+net ${format} [${engine}]: best of 3 ${best.secs.toFixed(2)} s wall (runs ${runs.map((r) => r.secs.toFixed(2)).join(', ')}) = ${(best.bytes / 1e6 / best.secs).toFixed(0)} MB/s; ` +
            `${cpu.toFixed(2)} s CPU = ${(best.bytes / 1e6 / cpu).toFixed(0)} MB/s per core, ` +
            `${(best.packets / best.secs / 1e6).toFixed(2)} M packets/s, peak RSS ${rss.toFixed(0)} MB; packets ${best.packets}, TCP ${best.tcp}, AJP-looking ${best.ajpPackets}, warnings ${best.warnings}`,
        );
        if (best.packets !== gen.packets) console.log(`  MISMATCH: generated ${gen.packets} packets, read ${best.packets}`);
      }
      // tshark on the first format only (the classic pcap by default).
      if (format === formats[0]) {
        if (!args.includes('--no-tshark') && hasTshark()) {
          // `-q` alone lets tshark skip dissection (it only frames the file); `-z conv,tcp` makes it
          // dissect Ethernet/IP/TCP of every packet and track conversations, the closest to our work.
          for (const [label, targs] of [
            ['tshark -n -r FILE -q (framing only, no dissection)', ['-n', '-r', file, '-q']],
            ['tshark -n -r FILE -q -z conv,tcp (dissects IP/TCP of every packet)', ['-n', '-r', file, '-q', '-z', 'conv,tcp']],
          ]) {
            const { secs, rssKiB } = timeTshark(targs);
            console.log(
              `${label}: ${secs.toFixed(1)} s = ${(gen.bytes / 1e6 / secs).toFixed(0)} MB/s` +
                (Number.isFinite(rssKiB) && rssKiB > 0 ? `, peak RSS ${(rssKiB / 1024).toFixed(0)} MB` : ''),
            );
          }
        }
      }
      if (!args.includes('--keep')) rmSync(file, { force: true });
    }
  } finally {
    cleanup();
  }
}
