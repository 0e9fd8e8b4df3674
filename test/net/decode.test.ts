import { beforeEach, describe, expect, it } from 'vitest';
import { decodeTcp, ipv6ToString, isSupportedLinkType, linkTypeName, newNetCounters, TcpFlags, type NetCounters } from '../../src/net/index.js';
import type { Packet } from '../../src/capture/index.js';
import { ipv6Bytes, rawPacket, tcpPacket, udpPacket, type BuiltPacket, type TcpPacketSpec } from '../helpers/capture-builder.js';

/** Every decodeTcp test runs twice: the packet as a Buffer of its own, and given in place (below). */
let inPlace = false;
const pkt = (b: BuiltPacket, frame = 1): Packet => (inPlace ? placed(b, frame) : { frame, ts: b.ts, linkType: b.linkType, data: b.data, origLen: b.origLen });

/**
 * The packet as the pcap record loop hands it over (capture/pcap.ts InPlacePacket): its bytes at an
 * offset inside a larger buffer (the read chunk) between bytes that would decode as something else,
 * and `data` never to be read by decodeTcp.
 */
function placed(b: BuiltPacket, frame: number): Packet {
  const at = 37;
  const bytes = Buffer.alloc(at + b.data.length + 64, 0x45);
  b.data.copy(bytes, at);
  return {
    frame,
    ts: b.ts,
    linkType: b.linkType,
    origLen: b.origLen,
    bytes,
    start: at,
    caplen: b.data.length,
    get data(): Buffer {
      throw new Error('decodeTcp read Packet.data of a packet given in place');
    },
  };
}

const base: TcpPacketSpec = { src: '10.0.0.1:40000', dst: '10.0.0.2:8009', seq: 0xfffffff0, ack: 0x80000001, flags: 'PA', window: 501, payload: 'hello' };

function skipped(p: Packet): keyof NetCounters {
  const c = newNetCounters();
  expect(decodeTcp(p, c)).toBeNull();
  const reasons = (Object.keys(c) as Array<keyof NetCounters>).filter((k) => k !== 'packets' && c[k] > 0);
  expect(reasons).toHaveLength(1);
  return reasons[0];
}

for (const form of ['a Buffer of its own', 'in place in a larger buffer'])
describe(`decodeTcp, the packet as ${form}`, () => {
  beforeEach(() => {
    inPlace = form !== 'a Buffer of its own';
  });

  it('decodes the TCP fields and a payload view into the packet', () => {
    const b = tcpPacket({ ...base, ts: 12.5 });
    const p = pkt(b, 7);
    const s = decodeTcp(p)!;
    expect(s).toMatchObject({
      frame: 7,
      ts: 12.5,
      srcAddr: '10.0.0.1',
      dstAddr: '10.0.0.2',
      srcKey: 0x0a000001,
      dstKey: 0x0a000002,
      srcPort: 40000,
      dstPort: 8009,
      ipVersion: 4,
      seq: 0xfffffff0,
      ack: 0x80000001,
      flags: TcpFlags.PSH | TcpFlags.ACK,
      window: 501,
      payloadLenOnWire: 5,
    });
    expect(s.windowScale).toBeUndefined();
    expect(s.payload.toString()).toBe('hello');
    expect(s.payload.buffer).toBe((p.bytes ?? b.data).buffer); // a view, not a copy
  });

  it('reads the window scale of a SYN through NOPs and other options, and only on SYNs', () => {
    const opts = { mss: 1460, sackPerm: true, timestamps: [1, 2] as [number, number], wscale: 14 };
    expect(decodeTcp(pkt(tcpPacket({ ...base, flags: 'S', payload: '', options: opts })))!.windowScale).toBe(14);
    expect(decodeTcp(pkt(tcpPacket({ ...base, flags: 'SA', payload: '', options: opts })))!.windowScale).toBe(14);
    expect(decodeTcp(pkt(tcpPacket({ ...base, flags: 'A', options: opts })))!.windowScale).toBeUndefined();
    // End-of-options before the window scale: not read.
    expect(decodeTcp(pkt(tcpPacket({ ...base, flags: 'S', options: Buffer.from([0, 3, 3, 7]) })))!.windowScale).toBeUndefined();
    // A zero option length must not loop forever.
    expect(decodeTcp(pkt(tcpPacket({ ...base, flags: 'S', options: Buffer.from([2, 0, 0, 0]) })))!.windowScale).toBeUndefined();
  });

  it('ignores Ethernet padding and reports snaplen cuts', () => {
    const padded = decodeTcp(pkt(tcpPacket({ ...base, payload: 'x', padTo: 60 })))!;
    expect(padded.payload.length).toBe(1);
    expect(padded.payloadLenOnWire).toBe(1);
    const cut = decodeTcp(pkt(tcpPacket({ ...base, payload: Buffer.alloc(1000, 1), snaplen: 96 })))!;
    expect(cut.payloadLenOnWire).toBe(1000);
    expect(cut.payload.length).toBe(96 - 54);
  });

  it('uses the frame length when the IPv4 total length is 0 (TSO)', () => {
    const s = decodeTcp(pkt(tcpPacket({ ...base, payload: 'abcdefgh', zeroIpLength: true })))!;
    expect(s.payloadLenOnWire).toBe(8);
  });

  it('walks IPv4 options and IPv6 extension headers', () => {
    const s = decodeTcp(pkt(tcpPacket({ ...base, ipOptions: Buffer.from([0x94, 4, 0, 0, 1, 1, 1, 0]) })))!;
    expect(s.payload.toString()).toBe('hello');
    const v6 = { ...base, src: '[2001:db8::1]:1', dst: '[2001:db8::2]:2' };
    for (const ext of [[{ type: 0 }], [{ type: 0 }, { type: 43 }, { type: 60 }], [{ type: 51 }], [{ type: 44 }]] as TcpPacketSpec['ipv6Ext'][]) {
      const d = decodeTcp(pkt(tcpPacket({ ...v6, ipv6Ext: ext })))!;
      expect(d, JSON.stringify(ext)).not.toBeNull();
      expect(d.payload.toString()).toBe('hello');
      expect(d.ipVersion).toBe(6);
    }
  });

  it('skips fragments, other protocols, other ethertypes and cut headers, counting why', () => {
    expect(skipped(pkt(tcpPacket({ ...base, fragment: { offset: 0, more: true } })))).toBe('fragments');
    expect(skipped(pkt(tcpPacket({ ...base, fragment: { offset: 8, more: false } })))).toBe('fragments');
    expect(skipped(pkt(tcpPacket({ ...base, src: '[::1]:1', dst: '[::1]:2', ipv6Ext: [{ type: 44, offset: 16 }] })))).toBe('fragments');
    expect(skipped(pkt(udpPacket({ src: '10.0.0.1:1', dst: '10.0.0.2:2' })))).toBe('notTcp');
    expect(skipped(pkt(udpPacket({ src: '[::1]:1', dst: '[::1]:2', link: 'sll2' })))).toBe('notTcp');
    const noNext = tcpPacket({ ...base, src: '[::1]:1', dst: '[::1]:2' });
    noNext.data[14 + 6] = 59;
    expect(skipped(pkt(noNext))).toBe('notTcp');
    const arpOnSll2 = tcpPacket({ ...base, link: 'sll2' });
    arpOnSll2.data.writeUInt16BE(0x0806, 0);
    expect(skipped(pkt(arpOnSll2))).toBe('notIp');
    const ieee8023 = tcpPacket(base);
    ieee8023.data.writeUInt16BE(100, 12); // an 802.3 length, not an ethertype
    expect(skipped(pkt(ieee8023))).toBe('notIp');
    expect(skipped(pkt(rawPacket(Buffer.alloc(10), 1)))).toBe('truncated');
    expect(skipped(pkt(tcpPacket({ ...base, snaplen: 40 })))).toBe('truncated');
    expect(skipped(pkt(tcpPacket({ ...base, flags: 'S', options: { mss: 1, wscale: 1 }, snaplen: 56 })))).toBe('truncated');
    expect(skipped(pkt(rawPacket(Buffer.alloc(100), 105)))).toBe('unsupportedLink');
  });

  it('refuses headers that contradict themselves', () => {
    const ihl = tcpPacket(base);
    ihl.data[14] = 0x44; // IHL 4
    expect(skipped(pkt(ihl))).toBe('malformed');
    const doff = tcpPacket(base);
    doff.data[14 + 20 + 12] = 0x40; // data offset 4
    expect(skipped(pkt(doff))).toBe('malformed');
    const ver = tcpPacket({ ...base, link: 'sll' });
    ver.data[16] = 0x55; // says IPv4 in SLL, IP version 5
    expect(skipped(pkt(ver))).toBe('malformed');
    const short = tcpPacket(base);
    short.data.writeUInt16BE(30, 16); // total length shorter than IP + TCP headers
    expect(skipped(pkt(short))).toBe('malformed');
  });

  it('reads NULL in both byte orders and LOOP in network order; other families are not IP', () => {
    for (const link of ['null', 'null-be', 'loop'] as const) {
      expect(decodeTcp(pkt(tcpPacket({ ...base, link })))!.payload.toString(), link).toBe('hello');
      expect(decodeTcp(pkt(tcpPacket({ ...base, src: '[::1]:1', dst: '[::1]:2', link })))!.ipVersion, link).toBe(6);
    }
    const linuxV6 = tcpPacket({ ...base, src: '[::1]:1', dst: '[::1]:2', link: 'null' });
    linuxV6.data.writeUInt32LE(10, 0); // Linux AF_INET6 is not a BSD loopback value
    expect(skipped(pkt(linuxV6))).toBe('notIp');
    const loopLe = tcpPacket({ ...base, link: 'loop' });
    loopLe.data.writeUInt32LE(2, 0); // LOOP is always network order: 0x02000000 is no family
    expect(skipped(pkt(loopLe))).toBe('notIp');
  });

  it('gives each address a numeric key, equal for equal addresses (the flow table hashes on it)', () => {
    const v6 = (src: string, dst: string) => decodeTcp(pkt(tcpPacket({ ...base, src, dst })))!;
    const a = v6('[2001:db8::1]:1', '[2001:db8::2]:2');
    const b = v6('[2001:db8::2]:2', '[2001:db8::1]:1');
    expect(a.srcKey).toBe(b.dstKey);
    expect(a.dstKey).toBe(b.srcKey);
    expect(a.srcKey).not.toBe(a.dstKey);
    const v4 = decodeTcp(pkt(tcpPacket({ ...base, src: '192.168.200.3:1', dst: '255.255.255.254:2' })))!;
    expect([v4.srcKey >>> 0, v4.dstKey >>> 0]).toEqual([0xc0a8c803, 0xfffffffe]);
  });

  it('takes the IP version from the first nibble on RAW links', () => {
    for (const link of ['raw', 'raw12', 'raw14'] as const) {
      expect(decodeTcp(pkt(tcpPacket({ ...base, link })))!.ipVersion).toBe(4);
      expect(decodeTcp(pkt(tcpPacket({ ...base, src: '[::1]:1', dst: '[::1]:2', link })))!.ipVersion).toBe(6);
    }
  });
});

describe('ipv6ToString (RFC 5952, as Wireshark prints)', () => {
  const cases: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'], // longest run
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // a single 0 is not shortened
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
    ['0000:0000:0000:0000:0000:ffff:c000:0280', '::ffff:192.0.2.128'],
  ];
  for (const [full, text] of cases) {
    it(text, () => {
      expect(ipv6ToString(Buffer.from(full.replace(/:/g, ''), 'hex'), 0)).toBe(text);
    });
  }
  it('round-trips through the builder', () => {
    expect(ipv6ToString(ipv6Bytes('2001:db8:a::b:0:c'), 0)).toBe('2001:db8:a::b:0:c');
  });
});

describe('link types', () => {
  it('names them as libpcap does', () => {
    expect(linkTypeName(1)).toBe('ETHERNET');
    expect(linkTypeName(276)).toBe('LINUX_SLL2');
    expect(linkTypeName(113)).toBe('LINUX_SLL');
    expect(linkTypeName(127)).toBe('IEEE802_11_RADIOTAP');
    expect(linkTypeName(9999)).toBe('LINKTYPE_9999');
  });
  it('tells supported from unsupported', () => {
    expect([0, 1, 12, 14, 101, 108, 113, 228, 229, 276].every(isSupportedLinkType)).toBe(true);
    expect([9, 105, 127, 147, 220].some(isSupportedLinkType)).toBe(false);
  });
});
