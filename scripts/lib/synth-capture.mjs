/**
 * The one synthetic-capture generator of the bench scripts (scripts/bench.mjs, scripts/bench-capture.mjs).
 *
 * Writes a classic pcap or a pcapng file of many short AJP-like connections, client 10.0.0.1 to
 * server 10.0.0.2:8009: handshake, then two requests each CPING/CPONG, FORWARD_REQUEST [+ request
 * body], SEND_HEADERS, SEND_BODY_CHUNKs, END_RESPONSE, then FIN/FIN/ACK. Ethernet + IPv4 + TCP with
 * zero checksums, as offloaded captures have them. Each bench picks a named profile (PROFILES) so the
 * same profile and size always give the same bytes, and figures stay comparable across runs.
 *
 *   generate(file, targetBytes, { profile: 'pipeline' | 'capture', format: 'pcap' | 'pcapng' })
 *     -> { bytes, packets, connections }
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * pipeline: scripts/bench.mjs (capture + net + tcp). Bigger messages with a request body; 1 in 50
 *   connections has a retransmitted response chunk, 1 in 50 two request segments swapped; client
 *   ports cycle over 28000 values (Linux's ephemeral range) so 4-tuples are reused, each time with
 *   a new client ISN.
 * capture: scripts/bench-capture.mjs (capture + net only). Smaller messages, no request body, no
 *   anomalies; client ports cycle over 64000 values, then the client address moves on by 256, so
 *   4-tuples never repeat. Generates until a flushed 8 MiB write reaches the target (so the file
 *   overshoots by up to one chunk), as that script always has.
 */
export const PROFILES = {
  pipeline: {
    messages: { forwardRequest: 600, requestBody: 1200, sendHeaders: 300, bodyChunks: [1400, 1400] },
    retransmitEvery: [50, 7],
    reorderEvery: [50, 31],
    usecStep: 23,
    clientPorts: { first: 32768, count: 28000 },
    onPortWrap: 'new-isn',
    stopWhen: 'generated',
  },
  capture: {
    messages: { forwardRequest: 420, requestBody: 0, sendHeaders: 230, bodyChunks: [700] },
    retransmitEvery: undefined,
    reorderEvery: undefined,
    usecStep: 37,
    clientPorts: { first: 1024, count: 64000 },
    onPortWrap: 'next-client-ip',
    stopWhen: 'written',
  },
};

const CLIENT = 0x0a000001;
const SERVER = 0x0a000002;
const CHUNK = 8 << 20;
/** Step of the client ISN each time a 4-tuple comes back (pipeline profile). */
const ISN_STEP = 7919;

function u32le(b, o, v) {
  b.writeUInt32LE(v >>> 0, o);
}

/** Ethernet + IPv4 + TCP frame (checksums 0, as offloaded captures have them). */
export function frame(src, dst, sport, dport, seq, ack, flags, payload) {
  const f = Buffer.alloc(54 + payload.length);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(40 + payload.length, 16);
  f.writeUInt16BE(0x4000, 20);
  f[22] = 64;
  f[23] = 6;
  f.writeUInt32BE(src >>> 0, 26);
  f.writeUInt32BE(dst >>> 0, 30);
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

/** AJP packet to the container: 0x1234, length, type byte, filler 'a'. */
export function ajpToServer(type, len) {
  const p = Buffer.alloc(4 + len, 0x61);
  p.writeUInt16BE(0x1234, 0);
  p.writeUInt16BE(len, 2);
  p[4] = type;
  return p;
}

/** AJP packet to the web server: 'AB', length, type byte, filler 'b'. */
export function ajpToProxy(type, len) {
  const p = Buffer.alloc(4 + len, 0x62);
  p[0] = 0x41;
  p[1] = 0x42;
  p.writeUInt16BE(len, 2);
  p[4] = type;
  return p;
}

/**
 * One connection as [fromClient, frame] pairs, client port 0 (patched per connection).
 * variant 0 plain, 1 with the first response chunk of the second request retransmitted,
 * 2 with FORWARD_REQUEST and the request body of the first request swapped (needs a request body).
 */
export function connectionTemplate(messages, variant = 0) {
  const out = [];
  let cs = 1000;
  let ss = 90000;
  const c2s = (flags, payload = Buffer.alloc(0)) => {
    const f = frame(CLIENT, SERVER, 0, 8009, cs, ss, flags, payload);
    out.push([true, f]);
    cs += payload.length + (flags & 0x03 ? 1 : 0);
    return f;
  };
  const s2c = (flags, payload = Buffer.alloc(0)) => {
    const f = frame(SERVER, CLIENT, 8009, 0, ss, cs, flags, payload);
    out.push([false, f]);
    ss += payload.length + (flags & 0x03 ? 1 : 0);
    return f;
  };
  c2s(0x02);
  s2c(0x12);
  c2s(0x10);
  for (let req = 0; req < 2; req++) {
    c2s(0x18, ajpToServer(10, 1)); // CPING
    s2c(0x18, ajpToProxy(9, 1)); // CPONG
    c2s(0x18, ajpToServer(2, messages.forwardRequest)); // FORWARD_REQUEST
    if (messages.requestBody > 0) c2s(0x18, ajpToServer(0, messages.requestBody)); // request body
    if (variant === 2 && req === 0) {
      const n = out.length;
      [out[n - 1], out[n - 2]] = [out[n - 2], out[n - 1]];
    }
    s2c(0x18, ajpToProxy(4, messages.sendHeaders)); // SEND_HEADERS
    messages.bodyChunks.forEach((len, i) => {
      const chunk = s2c(0x18, ajpToProxy(3, len)); // SEND_BODY_CHUNK
      if (variant === 1 && req === 1 && i === 0) out.push([false, chunk]);
    });
    c2s(0x10);
    s2c(0x18, ajpToProxy(5, 2)); // END_RESPONSE
    c2s(0x10);
  }
  c2s(0x11);
  s2c(0x11);
  c2s(0x10);
  return out;
}

const every = (rule, conn) => rule !== undefined && conn % rule[0] === rule[1];

/** Writes the capture; returns { bytes, packets, connections }. */
export function generate(file, targetBytes, { profile = 'pipeline', format = 'pcap' } = {}) {
  const p = PROFILES[profile];
  if (p === undefined) throw new Error(`unknown synthetic capture profile ${profile}`);
  if (format !== 'pcap' && format !== 'pcapng') throw new Error(`unknown capture format ${format}`);
  if (p.messages.requestBody === 0 && p.reorderEvery !== undefined) throw new Error('reordering swaps the request body: profile needs one');
  const tpls = [0, 1, 2].map((v) => (v === 0 || p[v === 1 ? 'retransmitEvery' : 'reorderEvery'] !== undefined ? connectionTemplate(p.messages, v) : undefined));
  const ng = format === 'pcapng';
  const fd = openSync(file, 'w');
  const buf = Buffer.allocUnsafe(CHUNK);
  let off = 0;
  const hdr = ng ? pcapngHeader() : pcapHeader();
  writeSync(fd, hdr);
  let total = hdr.length;
  let conn = 0;
  let usec = 0;
  let sec = 1763700000;
  let packets = 0;
  const { first, count } = p.clientPorts;
  while ((p.stopWhen === 'written' ? total : total + off) < targetBytes) {
    const tpl = every(p.retransmitEvery, conn) ? tpls[1] : every(p.reorderEvery, conn) ? tpls[2] : tpls[0];
    const port = first + (conn % count);
    const wraps = Math.floor(conn / count);
    const isnShift = p.onPortWrap === 'new-isn' ? wraps * ISN_STEP : 0;
    const clientIp = p.onPortWrap === 'next-client-ip' ? CLIENT + wraps * 256 : CLIENT;
    for (const [fromClient, f] of tpl) {
      const pad = ng ? (4 - (f.length % 4)) % 4 : 0;
      const need = ng ? 32 + f.length + pad : 16 + f.length;
      if (off + need > CHUNK) {
        writeSync(fd, buf, 0, off);
        total += off;
        off = 0;
      }
      usec += p.usecStep;
      if (usec >= 1e6) {
        usec -= 1e6;
        sec++;
      }
      let data;
      if (ng) {
        // Enhanced Packet Block, interface 0, timestamp in µs (the IDB's default resolution).
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
      const tcp = ip + 20;
      if (clientIp !== CLIENT) buf.writeUInt32BE(clientIp >>> 0, fromClient ? ip + 12 : ip + 16);
      buf.writeUInt16BE(port, fromClient ? tcp : tcp + 2);
      if (isnShift !== 0) {
        // The client's sequence numbers: seq one way, ack the other.
        const seqOff = fromClient ? tcp + 4 : tcp + 8;
        buf.writeUInt32BE((buf.readUInt32BE(seqOff) + isnShift) >>> 0, seqOff);
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

/** Classic pcap global header: µs timestamps, version 2.4, snaplen 262144, Ethernet. */
function pcapHeader() {
  const hdr = Buffer.alloc(24);
  u32le(hdr, 0, 0xa1b2c3d4);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  u32le(hdr, 16, 262144);
  u32le(hdr, 20, 1);
  return hdr;
}

/** SHB (byte-order magic, version 1.0, unknown section length) + one Ethernet IDB (µs). */
function pcapngHeader() {
  const hdr = Buffer.alloc(28 + 20);
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
  return hdr;
}

/** The "synthesised …" line both benches print. */
export function describeSynth(file, gen, ms) {
  return (
    `synthesised ${file}: ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.packets} packets, ${gen.connections} connections, ` +
    `${(gen.bytes / gen.packets).toFixed(0)} B/packet (${(ms / 1000).toFixed(1)} s)`
  );
}
