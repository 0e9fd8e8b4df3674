/**
 * Test-side capture builder: frames (Ethernet, VLAN, SLL, SLL2, NULL, LOOP, RAW) carrying IPv4/IPv6 +
 * TCP segments with chosen numbers, and the pcap / pcapng bytes around them.
 *
 * ```ts
 * const pkts = [
 *   tcpPacket({ src: '10.0.0.1:40000', dst: '10.0.0.2:8009', seq: 1, flags: 'S', ts: 1 }),
 *   tcpPacket({ src: '[::1]:40000', dst: '[::1]:8009', seq: 2, ack: 9, flags: 'PA', payload: 'hi', link: 'sll2' }),
 * ];
 * fs.writeFileSync(f, pcap(pkts, { nanos: true }));   // or pcapng(pkts, { bigEndian: true })
 * ```
 * Checksums are left 0 (tshark does not verify them by default). Not for production code.
 */

export type Link = 'ether' | 'vlan' | 'qinq' | 'sll' | 'sll2' | 'null' | 'null-be' | 'loop' | 'raw' | 'raw12' | 'raw14' | 'ipv4' | 'ipv6';

/** LINKTYPE written for each link choice. */
export const LINK_TYPE: Record<Link, number> = {
  ether: 1,
  vlan: 1,
  qinq: 1,
  sll: 113,
  sll2: 276,
  null: 0,
  'null-be': 0,
  loop: 108,
  raw: 101,
  raw12: 12,
  raw14: 14,
  ipv4: 228,
  ipv6: 229,
};

/** What the pcap/pcapng writers take; what the capture reader gives back (minus the frame number). */
export interface BuiltPacket {
  ts: number;
  linkType: number;
  data: Buffer;
  origLen: number;
}

export interface TcpOptionsSpec {
  mss?: number;
  wscale?: number;
  sackPerm?: boolean;
  timestamps?: [number, number];
}

export interface TcpPacketSpec {
  /** 'a.b.c.d:port' or '[v6]:port'. */
  src: string;
  dst: string;
  seq?: number;
  ack?: number;
  /** Letters from 'FSRPAUEC' (FIN SYN RST PSH ACK URG ECE CWR), e.g. 'S', 'SA', 'PA', 'FA', 'R'. Default 'A'. */
  flags?: string;
  window?: number;
  options?: TcpOptionsSpec | Buffer;
  payload?: Buffer | string;
  /** Capture time in seconds (default 0). */
  ts?: number;
  link?: Link;
  /**
   * VLAN ids: 'vlan' = 802.1Q tags (default [100]), 'qinq' = 802.1ad outer + 802.1Q inner (default
   * [10, 20]); on 'sll'/'sll2', 802.1Q tags after the cooked header (none by default).
   */
  vlans?: number[];
  /** IPv4 options bytes (padded to 4). */
  ipOptions?: Buffer;
  /** IPv4 fragment: offset in bytes (multiple of 8) and MF flag. */
  fragment?: { offset: number; more: boolean };
  /** IPv6 extension headers before TCP, by next-header number (0, 43, 60, 44, 51). */
  ipv6Ext?: Array<{ type: 0 | 43 | 60 | 51 } | { type: 44; offset?: number; more?: boolean }>;
  /** Pad the frame with zero bytes up to this length (Ethernet minimum 60). */
  padTo?: number;
  /** Keep only this many captured bytes (origLen stays the full length). */
  snaplen?: number;
  /** Write 0 as the IPv4 total length (TSO on the capturing host). */
  zeroIpLength?: boolean;
}

function parseEndpoint(s: string): { addr: Buffer; port: number; v6: boolean } {
  const m6 = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (m6) return { addr: ipv6Bytes(m6[1]), port: Number(m6[2]), v6: true };
  const m4 = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(s);
  if (!m4) throw new Error(`capture-builder: bad endpoint ${s}`);
  return { addr: Buffer.from(m4[1].split('.').map(Number)), port: Number(m4[2]), v6: false };
}

/** Parses an IPv6 text address (with '::', no embedded IPv4). */
export function ipv6Bytes(s: string): Buffer {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`capture-builder: bad IPv6 address ${s}`);
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

export function tcpFlags(s: string): number {
  let f = 0;
  for (const c of s) {
    const bit = FLAG_BITS[c];
    if (bit === undefined) throw new Error(`capture-builder: bad TCP flag ${c}`);
    f |= bit;
  }
  return f;
}

function tcpOptionBytes(o: TcpOptionsSpec | Buffer | undefined): Buffer {
  if (o === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(o)) return pad4(o, 0x01);
  const parts: number[] = [];
  if (o.mss !== undefined) parts.push(2, 4, o.mss >> 8, o.mss & 0xff);
  if (o.sackPerm) parts.push(4, 2);
  if (o.timestamps) {
    const b = Buffer.alloc(10);
    b[0] = 8;
    b[1] = 10;
    b.writeUInt32BE(o.timestamps[0] >>> 0, 2);
    b.writeUInt32BE(o.timestamps[1] >>> 0, 6);
    parts.push(...b);
  }
  if (o.wscale !== undefined) parts.push(1, 3, 3, o.wscale);
  return pad4(Buffer.from(parts), 0x00);
}

function pad4(b: Buffer, fill: number): Buffer {
  const n = (4 - (b.length % 4)) % 4;
  return n === 0 ? b : Buffer.concat([b, Buffer.alloc(n, fill)]);
}

/** TCP header + payload. */
export function tcpSegment(spec: TcpPacketSpec, srcPort: number, dstPort: number): Buffer {
  const opts = tcpOptionBytes(spec.options);
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload, 'latin1') : (spec.payload ?? Buffer.alloc(0));
  const h = Buffer.alloc(20 + opts.length);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE((spec.seq ?? 0) >>> 0, 4);
  h.writeUInt32BE((spec.ack ?? 0) >>> 0, 8);
  h[12] = (h.length / 4) << 4;
  h[13] = tcpFlags(spec.flags ?? 'A');
  h.writeUInt16BE(spec.window ?? 65535, 14);
  opts.copy(h, 20);
  return Buffer.concat([h, payload]);
}

/** IPv4 datagram around `payload` (protocol `proto`). */
export function ipv4(src: Buffer, dst: Buffer, proto: number, payload: Buffer, spec: Partial<TcpPacketSpec> = {}): Buffer {
  const opts = spec.ipOptions ? pad4(spec.ipOptions, 0) : Buffer.alloc(0);
  const h = Buffer.alloc(20 + opts.length);
  h[0] = 0x40 | (h.length / 4);
  h.writeUInt16BE(spec.zeroIpLength ? 0 : h.length + payload.length, 2);
  h.writeUInt16BE(0x1234, 4);
  // DF unless a fragment is asked for.
  const frag = spec.fragment ? (spec.fragment.offset / 8) | (spec.fragment.more ? 0x2000 : 0) : 0x4000;
  h.writeUInt16BE(frag, 6);
  h[8] = 64;
  h[9] = proto;
  src.copy(h, 12);
  dst.copy(h, 16);
  opts.copy(h, 20);
  return Buffer.concat([h, payload]);
}

/** IPv6 packet around `payload`, with optional extension headers. */
export function ipv6(src: Buffer, dst: Buffer, proto: number, payload: Buffer, ext: TcpPacketSpec['ipv6Ext'] = []): Buffer {
  const exts: Buffer[] = [];
  let firstNh = proto;
  for (let i = ext.length - 1; i >= 0; i--) {
    const e = ext[i];
    const next = firstNh;
    let b: Buffer;
    if (e.type === 44) {
      b = Buffer.alloc(8);
      b.writeUInt16BE(((e.offset ?? 0) & 0xfff8) | (e.more ? 1 : 0), 2);
      b.writeUInt32BE(0xabcd, 4);
    } else if (e.type === 51) {
      b = Buffer.alloc(16); // AH: 12 fixed bytes + 4 ICV bytes; length field = 16/4 - 2 = 2
      b[1] = 2;
    } else {
      b = Buffer.alloc(16); // (1 + 1) * 8 bytes with PadN
      b[1] = 1;
      b[2] = 1;
      b[3] = 12;
    }
    b[0] = next;
    exts.unshift(b);
    firstNh = e.type;
  }
  const body = Buffer.concat([...exts, payload]);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(body.length, 4);
  h[6] = firstNh;
  h[7] = 64;
  src.copy(h, 8);
  dst.copy(h, 24);
  return Buffer.concat([h, body]);
}

/** Link-layer header for `link` around an IP packet of version `v`. */
export function linkFrame(link: Link, ip: Buffer, v6: boolean, vlans?: number[]): Buffer {
  const et = v6 ? 0x86dd : 0x0800;
  switch (link) {
    case 'ether':
    case 'vlan':
    case 'qinq': {
      const tags =
        link === 'ether' ? [] : link === 'vlan' ? (vlans ?? [100]).map((id) => [0x8100, id]) : (vlans ?? [10, 20]).map((id, i) => [i === 0 ? 0x88a8 : 0x8100, id]);
      const h = Buffer.alloc(14 + 4 * tags.length);
      Buffer.from([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa]).copy(h, 0);
      let o = 12;
      for (const [tpid, id] of tags) {
        h.writeUInt16BE(tpid, o);
        h.writeUInt16BE(id, o + 2);
        o += 4;
      }
      h.writeUInt16BE(et, o);
      return Buffer.concat([h, ip]);
    }
    case 'sll': {
      // With `vlans`, the tags follow the header as libpcap re-inserts them for cooked captures
      // (protocol 0x8100, then TCI + inner protocol).
      const h = Buffer.alloc(16);
      h.writeUInt16BE(0, 0); // to us
      h.writeUInt16BE(vlans ? 1 : 772, 2); // ARPHRD_ETHER / ARPHRD_LOOPBACK
      h.writeUInt16BE(6, 4);
      h.writeUInt16BE(vlans ? 0x8100 : et, 14);
      return Buffer.concat([h, cookedTags(vlans, et), ip]);
    }
    case 'sll2': {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(vlans ? 0x8100 : et, 0);
      h.writeUInt32BE(1, 4); // ifindex
      h.writeUInt16BE(vlans ? 1 : 772, 8);
      h[10] = 0;
      h[11] = 6;
      return Buffer.concat([h, cookedTags(vlans, et), ip]);
    }
    case 'null':
    case 'null-be':
    case 'loop': {
      const h = Buffer.alloc(4);
      const af = v6 ? 30 : 2;
      if (link === 'null') h.writeUInt32LE(af, 0);
      else h.writeUInt32BE(af, 0);
      return Buffer.concat([h, ip]);
    }
    default:
      return ip;
  }
}

/** 802.1Q tags after a cooked header: [TCI, next protocol] per tag. */
function cookedTags(vlans: number[] | undefined, et: number): Buffer {
  if (!vlans) return Buffer.alloc(0);
  const b = Buffer.alloc(4 * vlans.length);
  vlans.forEach((id, i) => {
    b.writeUInt16BE(id, 4 * i);
    b.writeUInt16BE(i === vlans.length - 1 ? et : 0x8100, 4 * i + 2);
  });
  return b;
}

/** One captured TCP packet. */
export function tcpPacket(spec: TcpPacketSpec): BuiltPacket {
  const s = parseEndpoint(spec.src);
  const d = parseEndpoint(spec.dst);
  if (s.v6 !== d.v6) throw new Error('capture-builder: src and dst must be the same IP version');
  const seg = tcpSegment(spec, s.port, d.port);
  const ip = s.v6 ? ipv6(s.addr, d.addr, 6, seg, spec.ipv6Ext) : ipv4(s.addr, d.addr, 6, seg, spec);
  const link = spec.link ?? 'ether';
  return finish(linkFrame(link, ip, s.v6, spec.vlans), LINK_TYPE[link], spec);
}

/** A UDP packet (for "not TCP" cases). */
export function udpPacket(spec: { src: string; dst: string; payload?: Buffer | string; ts?: number; link?: Link }): BuiltPacket {
  const s = parseEndpoint(spec.src);
  const d = parseEndpoint(spec.dst);
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const u = Buffer.alloc(8);
  u.writeUInt16BE(s.port, 0);
  u.writeUInt16BE(d.port, 2);
  u.writeUInt16BE(8 + payload.length, 4);
  const dgram = Buffer.concat([u, payload]);
  const ip = s.v6 ? ipv6(s.addr, d.addr, 17, dgram) : ipv4(s.addr, d.addr, 17, dgram);
  const link = spec.link ?? 'ether';
  return finish(linkFrame(link, ip, s.v6), LINK_TYPE[link], spec);
}

/** An ARP request on Ethernet (not IP). */
export function arpPacket(ts = 0): BuiltPacket {
  const h = Buffer.alloc(42);
  h.fill(0xff, 0, 6);
  h.writeUInt16BE(0x0806, 12);
  Buffer.from([0, 1, 8, 0, 6, 4, 0, 1]).copy(h, 14);
  return { ts, linkType: 1, data: h, origLen: 42 };
}

/** Any frame bytes on any link type. */
export function rawPacket(data: Buffer, linkType: number, ts = 0): BuiltPacket {
  return { ts, linkType, data, origLen: data.length };
}

function finish(frame: Buffer, linkType: number, spec: { ts?: number; padTo?: number; snaplen?: number }): BuiltPacket {
  let f = frame;
  if (spec.padTo !== undefined && f.length < spec.padTo) f = Buffer.concat([f, Buffer.alloc(spec.padTo - f.length)]);
  const origLen = f.length;
  if (spec.snaplen !== undefined && f.length > spec.snaplen) f = f.subarray(0, spec.snaplen);
  return { ts: spec.ts ?? 0, linkType, data: f, origLen };
}

// ---------------------------------------------------------------- pcap

export interface PcapOptions {
  nanos?: boolean;
  bigEndian?: boolean;
  /** Default: the first packet's link type (1 when empty). */
  linkType?: number;
  snaplen?: number;
  versionMajor?: number;
}

function splitTs(ts: number, unitsPerSec: number): [number, number] {
  const sec = Math.floor(ts);
  let frac = Math.round((ts - sec) * unitsPerSec);
  if (frac >= unitsPerSec) frac = unitsPerSec - 1;
  return [sec, frac];
}

export function pcapHeader(opts: PcapOptions = {}, linkType = 1): Buffer {
  const h = Buffer.alloc(24);
  const be = opts.bigEndian ?? false;
  const w32 = (v: number, o: number) => (be ? h.writeUInt32BE(v >>> 0, o) : h.writeUInt32LE(v >>> 0, o));
  const w16 = (v: number, o: number) => (be ? h.writeUInt16BE(v, o) : h.writeUInt16LE(v, o));
  w32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(opts.versionMajor ?? 2, 4);
  w16(4, 6);
  w32(opts.snaplen ?? 262144, 16);
  w32(opts.linkType ?? linkType, 20);
  return h;
}

export function pcapRecord(p: BuiltPacket, opts: PcapOptions = {}): Buffer {
  const h = Buffer.alloc(16);
  const be = opts.bigEndian ?? false;
  const w32 = (v: number, o: number) => (be ? h.writeUInt32BE(v >>> 0, o) : h.writeUInt32LE(v >>> 0, o));
  const [sec, frac] = splitTs(p.ts, opts.nanos ? 1e9 : 1e6);
  w32(sec, 0);
  w32(frac, 4);
  w32(p.data.length, 8);
  w32(p.origLen, 12);
  return Buffer.concat([h, p.data]);
}

/** A classic pcap file. */
export function pcap(packets: BuiltPacket[], opts: PcapOptions = {}): Buffer {
  return Buffer.concat([pcapHeader(opts, packets[0]?.linkType ?? 1), ...packets.map((p) => pcapRecord(p, opts))]);
}

// ---------------------------------------------------------------- pcapng

export interface PcapngInterface {
  linkType: number;
  snaplen?: number;
  /** if_tsresol byte: 6 = µs (default, option omitted when undefined), 9 = ns, 0x80|n = 2^-n. */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: number;
  name?: string;
}

export interface PcapngOptions {
  bigEndian?: boolean;
  /** Interfaces of the section; default one per distinct link type of the packets, µs resolution. */
  interfaces?: PcapngInterface[];
  /** Which block carries the packets (default 'epb'). 'spb' always uses interface 0. */
  block?: 'epb' | 'spb' | 'pb';
  /** Extra blocks (raw type + body) inserted after the IDBs, e.g. an NRB or a custom block. */
  extraBlocks?: Array<{ type: number; body: Buffer }>;
}

class W {
  constructor(readonly be: boolean) {}
  u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.be) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  }
  u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.be) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  }
  block(type: number, body: Buffer): Buffer {
    const padded = pad4(body, 0);
    const len = 12 + padded.length;
    return Buffer.concat([this.u32(type), this.u32(len), padded, this.u32(len)]);
  }
  option(code: number, value: Buffer): Buffer {
    return Buffer.concat([this.u16(code), this.u16(value.length), pad4(value, 0)]);
  }
}

/** One pcapng section (SHB + IDBs + packet blocks). Concatenate sections for a multi-section file. */
export function pcapng(packets: BuiltPacket[], opts: PcapngOptions = {}): Buffer {
  const w = new W(opts.bigEndian ?? false);
  const ifaces: PcapngInterface[] = opts.interfaces ?? [...new Set(packets.map((p) => p.linkType))].map((linkType) => ({ linkType }));
  if (ifaces.length === 0) ifaces.push({ linkType: 1 });
  const out: Buffer[] = [];
  // SHB: byte-order magic, version 1.0, section length -1 (unknown).
  out.push(w.block(0x0a0d0d0a, Buffer.concat([w.u32(0x1a2b3c4d), w.u16(1), w.u16(0), Buffer.alloc(8, 0xff)])));
  for (const i of ifaces) {
    const opt: Buffer[] = [];
    if (i.name !== undefined) opt.push(w.option(2, Buffer.from(i.name)));
    if (i.tsresol !== undefined) opt.push(w.option(9, Buffer.from([i.tsresol])));
    if (i.tsoffset !== undefined) {
      const b = Buffer.alloc(8);
      if (w.be) b.writeBigInt64BE(BigInt(i.tsoffset));
      else b.writeBigInt64LE(BigInt(i.tsoffset));
      opt.push(w.option(14, b));
    }
    if (opt.length > 0) opt.push(w.option(0, Buffer.alloc(0)));
    out.push(w.block(1, Buffer.concat([w.u16(i.linkType), w.u16(0), w.u32(i.snaplen ?? 262144), ...opt])));
  }
  for (const e of opts.extraBlocks ?? []) out.push(w.block(e.type, e.body));
  for (const p of packets) {
    const ifId = Math.max(0, ifaces.findIndex((i) => i.linkType === p.linkType));
    const iface = ifaces[ifId];
    const block = opts.block ?? 'epb';
    if (block === 'spb') {
      out.push(w.block(3, Buffer.concat([w.u32(p.origLen), p.data])));
      continue;
    }
    const r = iface.tsresol ?? 6;
    const units = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    const count = BigInt(Math.round((p.ts - (iface.tsoffset ?? 0)) * units));
    const hi = Number(count >> 32n);
    const lo = Number(count & 0xffffffffn);
    const id = block === 'pb' ? Buffer.concat([w.u16(ifId), w.u16(0)]) : w.u32(ifId);
    out.push(w.block(block === 'pb' ? 2 : 6, Buffer.concat([id, w.u32(hi), w.u32(lo), w.u32(p.data.length), w.u32(p.origLen), p.data])));
  }
  return Buffer.concat(out);
}
