/**
 * Link → IP → TCP decoding of one captured packet, offset-based over the packet's Buffer.
 * Packets that are not TCP return null after a few byte reads and allocate nothing; the optional
 * NetCounters say why a packet was skipped (not IP, not TCP, IP fragment, unsupported link type,
 * too short / malformed).
 */
import type { Packet } from '../capture/types.js';
import type { Segment } from './types.js';

export interface NetCounters {
  /** Packets given to decodeTcp. */
  packets: number;
  /** Decoded TCP segments. */
  tcp: number;
  /** Link layer not carrying IPv4/IPv6 (ARP, LLDP, 802.3 frames, other address families…). */
  notIp: number;
  /** IP, but not TCP (UDP, ICMP, ESP, IPv6 no-next-header…). */
  notTcp: number;
  /** IPv4/IPv6 fragments (non-first fragments and first fragments with more to come): not reassembled. */
  fragments: number;
  /** Packets on a link type we do not decode (see isSupportedLinkType). */
  unsupportedLink: number;
  /** Captured bytes end before the TCP header does (snaplen too small, or a cut frame). */
  truncated: number;
  /** Headers that contradict themselves (IHL < 5, data offset < 5, IP length shorter than its headers…). */
  malformed: number;
}

export function newNetCounters(): NetCounters {
  return { packets: 0, tcp: 0, notIp: 0, notTcp: 0, fragments: 0, unsupportedLink: 0, truncated: 0, malformed: 0 };
}

/** Skip reasons as a string (for tests and debug output). */
export type SkipReason = Exclude<keyof NetCounters, 'packets' | 'tcp'>;

const NONE: NetCounters = newNetCounters();

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_8021Q = 0x8100;
const ETH_8021AD = 0x88a8;
const ETH_QINQ_OLD = 0x9100;

const PROTO_TCP = 6;

/**
 * Decodes `p` down to its TCP segment, or returns null (and counts the reason in `counters`).
 * `payload` is a view into `p.data` (the captured part); `payloadLenOnWire` comes from the IP length,
 * so Ethernet padding never counts as payload and snaplen cuts are visible.
 */
export function decodeTcp(p: Packet, counters: NetCounters = NONE, into?: Segment): Segment | null {
  counters.packets++;
  // The captured bytes are d[b, len): in place in the reader's buffer when it gives them so (no view
  // made per packet: capture/types.ts Packet.bytes), else the packet's own `data`. Every offset
  // below is into d.
  const whole = p.bytes;
  let d: Buffer;
  let b: number;
  let len: number;
  if (whole !== undefined) {
    d = whole;
    b = p.start as number;
    len = b + (p.caplen as number);
  } else {
    d = p.data;
    b = 0;
    len = d.length;
  }
  // The end of the frame on the wire, as an offset into d.
  const wireEnd = b + p.origLen;
  let off: number;
  let ver = 0; // 4, 6, or 0 = not IP
  let et = -1; // ethertype still to resolve (Ethernet, SLL, SLL2), or -1
  switch (p.linkType) {
    case 1:
      if (len - b < 14) return skip(counters, 'truncated');
      et = (d[b + 12] << 8) | d[b + 13];
      off = b + 14;
      break;
    case 276:
      // LINUX_SLL2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) addrlen(1) addr(8).
      if (len - b < 20) return skip(counters, 'truncated');
      et = (d[b] << 8) | d[b + 1];
      off = b + 20;
      break;
    case 113:
      // LINUX_SLL: pkttype(2) hatype(2) addrlen(2) addr(8) protocol(2).
      if (len - b < 16) return skip(counters, 'truncated');
      et = (d[b + 14] << 8) | d[b + 15];
      off = b + 16;
      break;
    case 0: {
      // BSD loopback: address family in the capturing host's byte order. As Wireshark's
      // packet-null.c does, a value with high bits set is taken as byte-swapped.
      if (len - b < 4) return skip(counters, 'truncated');
      let af = d.readUInt32LE(b);
      if (af & 0xffff0000) af = d.readUInt32BE(b);
      off = b + 4;
      ver = afVersion(af);
      break;
    }
    case 108:
      // OpenBSD loopback: address family in network byte order.
      if (len - b < 4) return skip(counters, 'truncated');
      off = b + 4;
      ver = afVersion(d.readUInt32BE(b));
      break;
    case 101:
    case 12:
    case 14:
      if (len - b < 1) return skip(counters, 'truncated');
      off = b;
      ver = d[b] >> 4;
      break;
    case 228:
      off = b;
      ver = 4;
      break;
    case 229:
      off = b;
      ver = 6;
      break;
    default:
      return skip(counters, 'unsupportedLink');
  }
  if (et >= 0) {
    // 802.1Q / 802.1ad / old QinQ tags add 4 bytes each and may be stacked. Cooked captures carry
    // them too: libpcap (pcap-linux.c) re-inserts the tag after the SLL/SLL2 header.
    while (et === ETH_8021Q || et === ETH_8021AD || et === ETH_QINQ_OLD) {
      if (off + 4 > len) return skip(counters, 'truncated');
      et = (d[off + 2] << 8) | d[off + 3];
      off += 4;
    }
    ver = et === ETH_IPV4 ? 4 : et === ETH_IPV6 ? 6 : 0;
  }

  let t: number; // TCP header offset
  let ipEnd: number; // end of the IP datagram on the wire, as an offset into the frame
  let srcAddr: string;
  let dstAddr: string;
  let srcKey: number;
  let dstKey: number;
  let ipVersion: 4 | 6;
  if (ver === 4) {
    if (off + 20 > len) return skip(counters, 'truncated');
    if (d[off] >> 4 !== 4) return skip(counters, 'malformed');
    if (d[off + 9] !== PROTO_TCP) return skip(counters, 'notTcp');
    const ihl = (d[off] & 0x0f) * 4;
    if (ihl < 20) return skip(counters, 'malformed');
    // MF flag or a fragment offset: a fragment we do not reassemble.
    if (((d[off + 6] << 8) | d[off + 7]) & 0x3fff) return skip(counters, 'fragments');
    const total = (d[off + 2] << 8) | d[off + 3];
    if (total === 0) {
      // Total length 0: TCP segmentation offload on the capturing host (Wireshark's packet-ip.c
      // then uses the frame length).
      ipEnd = wireEnd;
    } else {
      if (total < ihl) return skip(counters, 'malformed');
      ipEnd = off + total;
    }
    t = off + ihl;
    if (t + 20 > len) return skip(counters, 'truncated');
    srcKey = (d[off + 12] << 24) | (d[off + 13] << 16) | (d[off + 14] << 8) | d[off + 15];
    dstKey = (d[off + 16] << 24) | (d[off + 17] << 16) | (d[off + 18] << 8) | d[off + 19];
    srcAddr = ipv4Text(srcKey >>> 0);
    dstAddr = ipv4Text(dstKey >>> 0);
    ipVersion = 4;
  } else if (ver === 6) {
    if (off + 40 > len) return skip(counters, 'truncated');
    if (d[off] >> 4 !== 6) return skip(counters, 'malformed');
    let nh = d[off + 6];
    const plen = (d[off + 4] << 8) | d[off + 5];
    let h = off + 40;
    // Extension headers (RFC 8200 §4): hop-by-hop 0, routing 43, fragment 44, destination options 60, AH 51.
    while (nh !== PROTO_TCP) {
      if (nh === 0 || nh === 43 || nh === 60) {
        if (h + 8 > len) return skip(counters, 'truncated');
        const next = d[h];
        h += (d[h + 1] + 1) * 8;
        nh = next;
      } else if (nh === 44) {
        if (h + 8 > len) return skip(counters, 'truncated');
        // Fragment offset (13 bits) or the M flag: a fragment.
        if (((d[h + 2] << 8) | d[h + 3]) & 0xfff9) return skip(counters, 'fragments');
        nh = d[h];
        h += 8;
      } else if (nh === 51) {
        // AH length is in 4-octet units minus 2 (RFC 4302).
        if (h + 8 > len) return skip(counters, 'truncated');
        const next = d[h];
        h += (d[h + 1] + 2) * 4;
        nh = next;
      } else {
        // 59 (no next header), UDP, ICMPv6, ESP, …
        return skip(counters, 'notTcp');
      }
    }
    // Payload length 0 with a hop-by-hop jumbo option, or TSO: use the frame length.
    ipEnd = plen === 0 ? wireEnd : off + 40 + plen;
    t = h;
    if (t + 20 > len) return skip(counters, 'truncated');
    srcAddr = ipv6Text(d, off + 8);
    dstAddr = ipv6Text(d, off + 24);
    srcKey = ipv6Key(d, off + 8);
    dstKey = ipv6Key(d, off + 24);
    ipVersion = 6;
  } else {
    return skip(counters, 'notIp');
  }

  const dataOffset = (d[t + 12] >> 4) * 4;
  if (dataOffset < 20) return skip(counters, 'malformed');
  const payloadStart = t + dataOffset;
  if (payloadStart > len) return skip(counters, 'truncated');
  // An IP length beyond the frame on the wire is bogus; like Wireshark, trust the frame then.
  if (ipEnd > wireEnd) ipEnd = wireEnd;
  const payloadLenOnWire = ipEnd - payloadStart;
  if (payloadLenOnWire < 0) return skip(counters, 'malformed');
  const flags = d[t + 13];
  let windowScale: number | undefined;
  if (flags & 0x02 && dataOffset > 20) windowScale = findWindowScale(d, t + 20, payloadStart);
  counters.tcp++;
  if (into !== undefined) {
    // The caller's reusable Segment (see newSegment): no allocation per packet.
    into.frame = p.frame;
    into.ts = p.ts;
    into.srcAddr = srcAddr;
    into.dstAddr = dstAddr;
    into.srcKey = srcKey;
    into.dstKey = dstKey;
    into.srcPort = (d[t] << 8) | d[t + 1];
    into.dstPort = (d[t + 2] << 8) | d[t + 3];
    into.ipVersion = ipVersion;
    into.seq = ((d[t + 4] << 24) | (d[t + 5] << 16) | (d[t + 6] << 8) | d[t + 7]) >>> 0;
    into.ack = ((d[t + 8] << 24) | (d[t + 9] << 16) | (d[t + 10] << 8) | d[t + 11]) >>> 0;
    into.flags = flags;
    into.window = (d[t + 14] << 8) | d[t + 15];
    into.windowScale = windowScale;
    const payloadEnd = ipEnd < len ? ipEnd : len;
    if (into instanceof InPlaceSegment) {
      // The payload in place (no view made: see Segment.bytes).
      into.bytes = d;
      into.payloadStart = payloadStart;
      into.payloadEnd = payloadEnd > payloadStart ? payloadEnd : payloadStart;
    } else {
      // Pure ACKs (a third or more of packets) share one empty buffer instead of a view each.
      into.payload = payloadEnd > payloadStart ? d.subarray(payloadStart, payloadEnd) : EMPTY_PAYLOAD;
    }
    into.payloadLenOnWire = payloadLenOnWire;
    return into;
  }
  return {
    frame: p.frame,
    ts: p.ts,
    srcAddr,
    dstAddr,
    srcKey,
    dstKey,
    srcPort: (d[t] << 8) | d[t + 1],
    dstPort: (d[t + 2] << 8) | d[t + 3],
    ipVersion,
    seq: ((d[t + 4] << 24) | (d[t + 5] << 16) | (d[t + 6] << 8) | d[t + 7]) >>> 0,
    ack: ((d[t + 8] << 24) | (d[t + 9] << 16) | (d[t + 10] << 8) | d[t + 11]) >>> 0,
    flags,
    window: (d[t + 14] << 8) | d[t + 15],
    windowScale,
    payload: d.subarray(payloadStart, ipEnd < len ? ipEnd : len),
    payloadLenOnWire,
  };
}

const EMPTY_PAYLOAD = Buffer.alloc(0);

/** newSegment's Segment: its payload given in place (bytes, payloadStart, payloadEnd), the view made when read. */
class InPlaceSegment implements Segment {
  frame = 0;
  ts = 0;
  srcAddr = '';
  dstAddr = '';
  srcKey = 0;
  dstKey = 0;
  srcPort = 0;
  dstPort = 0;
  ipVersion: 4 | 6 = 4;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  windowScale: number | undefined = undefined;
  bytes: Buffer = EMPTY_PAYLOAD;
  payloadStart = 0;
  payloadEnd = 0;
  payloadLenOnWire = 0;

  get payload(): Buffer {
    return this.payloadEnd > this.payloadStart ? this.bytes.subarray(this.payloadStart, this.payloadEnd) : EMPTY_PAYLOAD;
  }

  set payload(b: Buffer) {
    this.bytes = b;
    this.payloadStart = 0;
    this.payloadEnd = b.length;
  }
}

/**
 * A Segment to pass to decodeTcp as `into`, for callers that keep nothing of a segment past
 * handling it (the inspect pipeline): decodeTcp then fills it instead of allocating one, and gives
 * its payload in place (Segment.bytes).
 */
export function newSegment(): Segment {
  return new InPlaceSegment();
}

/*
 * Address text caches: a capture holds few distinct addresses, and formatting two addresses per
 * packet was the largest cost of decoding. Bounded: cleared when full.
 */
const CACHE_MAX = 4096;
const v4Cache = new Map<number, string>();
const v6Cache = new Map<string, string>();

/**
 * In front of v4Cache, a direct-mapped table of the last addresses by a few bits of their hash:
 * the two ends of the packet being read are almost always ones just seen, and two array reads cost
 * less than the Map's lookup, which was 40 % of decodeTcp on a 2 GB capture (issue 14).
 */
const RECENT_BITS = 8;
const recentKey = new Int32Array(1 << RECENT_BITS);
const recentText: string[] = new Array<string>(1 << RECENT_BITS).fill('');

function ipv4Text(a: number): string {
  const i = Math.imul(a, 0x9e3779b1) >>> (32 - RECENT_BITS);
  // An IPv4 text is never '': an empty entry never matches.
  if (recentKey[i] === (a | 0) && recentText[i] !== '') return recentText[i]!;
  let s = v4Cache.get(a);
  recentKey[i] = a;
  if (s === undefined) {
    s = `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
    if (v4Cache.size >= CACHE_MAX) v4Cache.clear();
    v4Cache.set(a, s);
  }
  recentText[i] = s;
  return s;
}

function ipv6Text(d: Buffer, off: number): string {
  const key = d.toString('latin1', off, off + 16);
  let s = v6Cache.get(key);
  if (s === undefined) {
    s = ipv6ToString(d, off);
    if (v6Cache.size >= CACHE_MAX) v6Cache.clear();
    v6Cache.set(key, s);
  }
  return s;
}

/** Segment.srcKey / dstKey of the IPv6 address at d[off, off + 16): its four 32-bit words folded. */
function ipv6Key(d: Buffer, off: number): number {
  let k = 0;
  for (let i = off; i < off + 16; i += 4) k = Math.imul(k ^ ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]), 0x9e3779b1);
  return k;
}

function skip(counters: NetCounters, reason: SkipReason): null {
  counters[reason]++;
  return null;
}

/** BSD address families: AF_INET 2; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
function afVersion(af: number): number {
  if (af === 2) return 4;
  if (af === 24 || af === 28 || af === 30) return 6;
  return 0;
}

/** TCP option kind 3 (window scale, RFC 7323) among the options in [from, to). */
function findWindowScale(d: Buffer, from: number, to: number): number | undefined {
  let o = from;
  while (o < to) {
    const kind = d[o];
    if (kind === 0) return undefined; // end of option list
    if (kind === 1) {
      o++; // NOP
      continue;
    }
    if (o + 1 >= to) return undefined;
    const olen = d[o + 1];
    if (olen < 2) return undefined;
    if (kind === 3 && olen === 3 && o + 2 < to) return d[o + 2];
    o += olen;
  }
  return undefined;
}

/**
 * RFC 5952 text form, as Wireshark prints addresses: lowercase hex, leading zeros dropped, the
 * longest run (first if tied) of two or more zero groups as "::", and ::ffff:a.b.c.d for IPv4-mapped.
 */
export function ipv6ToString(d: Buffer, off: number): string {
  const g: number[] = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (d[off + 2 * i] << 8) | d[off + 2 * i + 1];
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${d[off + 12]}.${d[off + 13]}.${d[off + 14]}.${d[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}
