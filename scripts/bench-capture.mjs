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
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.AJP_INSPECT_DIST ?? join(here, '..', 'dist');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};

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

function u32le(b, o, v) {
  b.writeUInt32LE(v >>> 0, o);
}

/** Ethernet + IPv4 + TCP frame template (checksums 0). */
function frame(src, dst, sport, dport, seq, ack, flags, payload) {
  const f = Buffer.alloc(54 + payload.length);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(40 + payload.length, 16);
  f.writeUInt16BE(0x4000, 20);
  f[22] = 64;
  f[23] = 6;
  f.writeUInt32BE(src, 26);
  f.writeUInt32BE(dst, 30);
  f.writeUInt16BE(sport, 34);
  f.writeUInt16BE(dport, 36);
  f.writeUInt32BE(seq >>> 0, 38);
  f.writeUInt32BE(ack >>> 0, 42);
  f[46] = 0x50;
  f[47] = flags;
  f.writeUInt16BE(65535, 48);
  payload.copy(f, 54);
  return f;
}

function ajpToServer(type, len) {
  const p = Buffer.alloc(4 + len, 0x61);
  p.writeUInt16BE(0x1234, 0);
  p.writeUInt16BE(len, 2);
  p[4] = type;
  return p;
}

function ajpToProxy(type, len) {
  const p = Buffer.alloc(4 + len, 0x62);
  p[0] = 0x41;
  p[1] = 0x42;
  p.writeUInt16BE(len, 2);
  p[4] = type;
  return p;
}

/** One connection's packets as [fromClient, frame] templates (client port patched per connection). */
function connectionTemplate() {
  const C = 0x0a000001;
  const S = 0x0a000002;
  const out = [];
  let cs = 1000;
  let ss = 90000;
  const c2s = (flags, payload = Buffer.alloc(0)) => {
    out.push([true, frame(C, S, 0, 8009, cs, ss, flags, payload)]);
    cs += payload.length + (flags & 0x03 ? 1 : 0);
  };
  const s2c = (flags, payload = Buffer.alloc(0)) => {
    out.push([false, frame(S, C, 8009, 0, ss, cs, flags, payload)]);
    ss += payload.length + (flags & 0x03 ? 1 : 0);
  };
  c2s(0x02);
  s2c(0x12);
  c2s(0x10);
  for (let req = 0; req < 2; req++) {
    c2s(0x18, ajpToServer(10, 1)); // CPING
    s2c(0x18, ajpToProxy(9, 1)); // CPONG
    c2s(0x18, ajpToServer(2, 420)); // FORWARD_REQUEST
    s2c(0x18, ajpToProxy(4, 230)); // SEND_HEADERS
    s2c(0x18, ajpToProxy(3, 700)); // SEND_BODY_CHUNK
    c2s(0x10);
    s2c(0x18, ajpToProxy(5, 2)); // END_RESPONSE
    c2s(0x10);
  }
  c2s(0x11);
  s2c(0x11);
  c2s(0x10);
  return out;
}

function generate(file, targetBytes, format) {
  const tpl = connectionTemplate();
  const ng = format === 'pcapng';
  const fd = openSync(file, 'w');
  const CHUNK = 8 << 20;
  let buf = Buffer.allocUnsafe(CHUNK);
  let off = 0;
  let hdr;
  if (ng) {
    // SHB (byte-order magic, version 1.0, unknown section length) + one Ethernet IDB (µs).
    hdr = Buffer.alloc(28 + 20);
    u32le(hdr, 0, 0x0a0d0d0a);
    u32le(hdr, 4, 28);
    u32le(hdr, 8, 0x1a2b3c4d);
    hdr.writeUInt16LE(1, 12);
    hdr.fill(0xff, 16, 24);
    u32le(hdr, 24, 28);
    u32le(hdr, 28, 1);
    u32le(hdr, 32, 20);
    hdr.writeUInt16LE(1, 36);
    u32le(hdr, 40, 262144);
    u32le(hdr, 44, 20);
  } else {
    hdr = Buffer.alloc(24);
    u32le(hdr, 0, 0xa1b2c3d4);
    hdr.writeUInt16LE(2, 4);
    hdr.writeUInt16LE(4, 6);
    u32le(hdr, 16, 262144);
    u32le(hdr, 20, 1);
  }
  writeSync(fd, hdr);
  let total = hdr.length;
  let conn = 0;
  let usec = 0;
  let sec = 1763700000;
  let packets = 0;
  while (total < targetBytes) {
    const port = 1024 + (conn % 64000);
    const clientIp = 0x0a000001 + Math.floor(conn / 64000) * 256;
    for (const [fromClient, f] of tpl) {
      const pad = ng ? (4 - (f.length % 4)) % 4 : 0;
      const need = ng ? 32 + f.length + pad : 16 + f.length;
      if (off + need > CHUNK) {
        writeSync(fd, buf, 0, off);
        total += off;
        off = 0;
        buf = Buffer.allocUnsafe(CHUNK);
      }
      usec += 37;
      if (usec >= 1e6) {
        usec -= 1e6;
        sec++;
      }
      let data;
      if (ng) {
        const ts = sec * 1e6 + usec;
        u32le(buf, off, 6);
        u32le(buf, off + 4, need);
        u32le(buf, off + 8, 0);
        u32le(buf, off + 12, Math.floor(ts / 4294967296));
        u32le(buf, off + 16, ts % 4294967296);
        u32le(buf, off + 20, f.length);
        u32le(buf, off + 24, f.length);
        data = off + 28;
        buf.fill(0, data + f.length, data + f.length + pad);
        u32le(buf, off + need - 4, need);
      } else {
        u32le(buf, off, sec);
        u32le(buf, off + 4, usec);
        u32le(buf, off + 8, f.length);
        u32le(buf, off + 12, f.length);
        data = off + 16;
      }
      f.copy(buf, data);
      const ip = data + 14;
      if (fromClient) {
        buf.writeUInt32BE(clientIp >>> 0, ip + 12);
        buf.writeUInt16BE(port, ip + 20);
      } else {
        buf.writeUInt32BE(clientIp >>> 0, ip + 16);
        buf.writeUInt16BE(port, ip + 22);
      }
      off += need;
      packets++;
    }
    conn++;
  }
  writeSync(fd, buf, 0, off);
  total += off;
  closeSync(fd);
  return { bytes: total, packets, connections: conn };
}

async function main() {
  const sizeMB = Number(opt('size', '520'));
  const engineOpt = opt('engine', 'both');
  const engines = engineOpt === 'both' ? ['pcap-parser', 'direct'] : [engineOpt];
  const dir = mkdtempSync(join(tmpdir(), 'ajp-bench-'));
  const cleanup = () => {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const formats = opt('format', 'both') === 'both' ? ['pcap', 'pcapng'] : [opt('format')];
    let gen;
    for (const format of formats) {
      const file = join(dir, `bench.${format}`);
      const g0 = Date.now();
      gen = generate(file, sizeMB * 1e6, format);
      console.log(
        `synthesised ${file}: ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.packets} packets, ${gen.connections} connections, ${(gen.bytes / gen.packets).toFixed(0)} B/packet (${((Date.now() - g0) / 1000).toFixed(1)} s)`,
      );
      for (const engine of format === 'pcap' ? engines : ['(pcapng reader)']) {
        const runs = [];
        for (let i = 0; i < 3; i++) {
          const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--read', file, engine], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`reader (${engine}) failed: ${r.stderr}`);
          runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
        }
        runs.sort((a, b) => a.secs - b.secs);
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
        if (!args.includes('--no-tshark') && spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0) {
          // `-q` alone lets tshark skip dissection (it only frames the file); `-z conv,tcp` makes it
          // dissect Ethernet/IP/TCP of every packet and track conversations, the closest to our work.
          for (const [label, targs] of [
            ['tshark -n -r FILE -q (framing only, no dissection)', ['-n', '-r', file, '-q']],
            ['tshark -n -r FILE -q -z conv,tcp (dissects IP/TCP of every packet)', ['-n', '-r', file, '-q', '-z', 'conv,tcp']],
          ]) {
            const t0 = Date.now();
            const r = spawnSync('/usr/bin/time', ['-f', '%M', 'tshark', ...targs], { encoding: 'utf8', maxBuffer: 1 << 30 });
            const secs = (Date.now() - t0) / 1000;
            const rssKiB = Number((r.stderr.trim().split('\n').pop() ?? '').trim());
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
