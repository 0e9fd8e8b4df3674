/**
 * Production-like captures for scripts/bench.mjs, built from the real httpd + mod_jk / mod_proxy_ajp
 * + Tomcat captures of samples/ (not synthetic filler: every AJP message is one a real peer sent).
 *
 * pooled(file, targetBytes): every samples/<s>/capture.pcap except mcmp (Ethernet on lo, AJP on
 *   18009, HTTP on 18080) laid end to end, the whole set repeated until the target size. Each copy
 *   and each sample gets its own client address (10.<copy>.<copy>.<sample>; the server stays
 *   127.0.0.1), so no 4-tuple repeats; times move on by the set's span per copy. The AJP
 *   connections are left open as a real pool leaves them: from the first FIN or RST of a port-18009
 *   connection on, its packets are dropped (HTTP connections close as they did). The samples
 *   average ~730 B per packet (the production capture: ~670 B).
 *
 * manyOpen(file, connections): the first request cycle of samples/baseline's first AJP connection
 *   (handshake, CPING/CPONG, FORWARD_REQUEST, SEND_HEADERS, SEND_BODY_CHUNK, END_RESPONSE and the
 *   ACKs) repeated `connections` times, each from its own client port (a new client address every
 *   64,000), none ever closed: that many
 *   AJP connections open at once at the end of the capture.
 *
 * Both return { bytes, packets, copies | connections }. Classic pcap, little-endian, µs.
 */
import { closeSync, openSync, readFileSync, readdirSync, existsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const AJP_PORT = 18009;
const HTTP_PORT = 18080;
const CHUNK = 8 << 20;

/** Records of a little-endian classic pcap as { ts (µs), rec (header + data) }. */
function readPcap(path) {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian µs classic pcap`);
  if (b.readUInt32LE(20) !== 1) throw new Error(`${path}: not Ethernet`);
  const recs = [];
  let o = 24;
  while (o + 16 <= b.length) {
    const incl = b.readUInt32LE(o + 8);
    recs.push({ ts: b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4), rec: b.subarray(o, o + 16 + incl) });
    o += 16 + incl;
  }
  return { header: b.subarray(0, 24), recs };
}

/** { ip (offset of the IPv4 header), tcp (offset of the TCP header) } in a record, or undefined. */
function offsets(rec) {
  if (rec.length < 16 + 14 + 20 || rec.readUInt16BE(16 + 12) !== 0x0800) return undefined;
  const ip = 16 + 14;
  if (rec[ip + 9] !== 6) return undefined;
  return { ip, tcp: ip + (rec[ip] & 0x0f) * 4 };
}

class Writer {
  constructor(file, header) {
    this.fd = openSync(file, 'w');
    this.parts = [header];
    this.pending = header.length;
    this.bytes = 0;
    this.packets = 0;
  }
  /** Copies rec with its time set to tsUs and its client address (the side not on a server port) set. */
  push(rec, tsUs, clientAddr) {
    const c = Buffer.from(rec);
    c.writeUInt32LE(Math.floor(tsUs / 1e6), 0);
    c.writeUInt32LE(tsUs % 1e6, 4);
    const o = offsets(c);
    if (o !== undefined) {
      const sport = c.readUInt16BE(o.tcp);
      const dport = c.readUInt16BE(o.tcp + 2);
      // The client is the side whose port is neither AJP's nor HTTP's.
      if (sport !== AJP_PORT && sport !== HTTP_PORT) c.writeUInt32BE(clientAddr >>> 0, o.ip + 12);
      if (dport !== AJP_PORT && dport !== HTTP_PORT) c.writeUInt32BE(clientAddr >>> 0, o.ip + 16);
    }
    this.parts.push(c);
    this.pending += c.length;
    this.packets++;
    if (this.pending >= CHUNK) this.flush();
  }
  flush() {
    if (this.pending === 0) return;
    writeSync(this.fd, Buffer.concat(this.parts, this.pending));
    this.bytes += this.pending;
    this.parts = [];
    this.pending = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

/** The sample set: each sample's records with the AJP connections' closes removed, times from 0. */
function sampleSet(samplesDir) {
  const names = readdirSync(samplesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'mcmp' && existsSync(join(samplesDir, d.name, 'capture.pcap')))
    .map((d) => d.name)
    .sort();
  let header;
  let at = 0;
  const set = [];
  for (const name of names) {
    const p = readPcap(join(samplesDir, name, 'capture.pcap'));
    header ??= p.header;
    const closed = new Set();
    const kept = [];
    for (const r of p.recs) {
      const o = offsets(r.rec);
      if (o !== undefined) {
        const sport = r.rec.readUInt16BE(o.tcp);
        const dport = r.rec.readUInt16BE(o.tcp + 2);
        if (sport === AJP_PORT || dport === AJP_PORT) {
          const key = sport === AJP_PORT ? dport : sport;
          const flags = r.rec[o.tcp + 13];
          if ((flags & 0x05) !== 0) closed.add(key); // FIN or RST: the pool would have kept it open
          if (closed.has(key)) continue;
        }
      }
      kept.push(r);
    }
    const t0 = p.recs[0].ts;
    const t1 = p.recs.at(-1).ts;
    set.push({ name, recs: kept.map((r) => ({ ts: at + (r.ts - t0), rec: r.rec })) });
    at += t1 - t0 + 1_000_000;
  }
  return { header, set, span: at };
}

/** See the file comment. */
export function pooled(file, targetBytes, samplesDir) {
  const { header, set, span } = sampleSet(samplesDir);
  const w = new Writer(file, header);
  const base = 1_800_000_000 * 1e6;
  let copy = 0;
  while (w.bytes + w.pending < targetBytes) {
    for (let s = 0; s < set.length; s++) {
      const addr = (10 << 24) | ((copy >> 8) & 0xff) << 16 | (copy & 0xff) << 8 | (s + 1);
      for (const r of set[s].recs) w.push(r.rec, base + copy * span + r.ts, addr);
    }
    copy++;
  }
  w.close();
  return { bytes: w.bytes, packets: w.packets, copies: copy };
}

/** See the file comment. */
export function manyOpen(file, connections, samplesDir) {
  const p = readPcap(join(samplesDir, 'baseline', 'capture.pcap'));
  // The first AJP connection: its client port from its SYN; its packets up to the first
  // END_RESPONSE (AB, length 2, prefix 5) and the ACK after it.
  let clientPort;
  const conn = [];
  let ended = false;
  for (const r of p.recs) {
    const o = offsets(r.rec);
    if (o === undefined) continue;
    const sport = r.rec.readUInt16BE(o.tcp);
    const dport = r.rec.readUInt16BE(o.tcp + 2);
    if (clientPort === undefined && dport === AJP_PORT && (r.rec[o.tcp + 13] & 0x12) === 0x02) clientPort = sport;
    if (clientPort === undefined || (sport !== clientPort && dport !== clientPort)) continue;
    conn.push(r);
    const payload = o.tcp + (r.rec[o.tcp + 12] >> 4) * 4;
    if (ended) break;
    if (sport === AJP_PORT && r.rec.length - payload === 6 && r.rec[payload] === 0x41 && r.rec[payload + 4] === 5) ended = true;
  }
  const w = new Writer(file, p.header);
  const base = 1_800_000_000 * 1e6;
  // As a pool of web servers opens them: each connection from its own ephemeral port (1024..65535
  // but the two server ports), the next web server address (10.0.<n>.1) once the ports are used up.
  // A client port equal to a server port would leave both addresses 127.0.0.1 (push() sets the side
  // not on a server port): a self-connection, as tshark says ("Port numbers reused").
  const ports = [];
  for (let p = 1024; p < 65536 && ports.length < 64000; p++) if (p !== AJP_PORT && p !== HTTP_PORT) ports.push(p);
  const o0 = offsets(conn[0].rec);
  for (let i = 0; i < connections; i++) {
    const addr = (10 << 24) | (Math.floor(i / ports.length) & 0xff) << 8 | 1;
    const port = ports[i % ports.length];
    for (let k = 0; k < conn.length; k++) {
      const rec = conn[k].rec;
      const at = rec.readUInt16BE(o0.tcp) === AJP_PORT ? o0.tcp + 2 : o0.tcp;
      const c = Buffer.from(rec);
      c.writeUInt16BE(port, at);
      w.push(c, base + i * 1000 + k * 50, addr); // in time order
    }
  }
  w.close();
  return { bytes: w.bytes, packets: w.packets, connections, perConnection: conn.length };
}
