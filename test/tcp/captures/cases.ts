/**
 * Builder-made captures for the TCP layer's hard cases. The bytes are committed beside this file
 * (test/tcp/scenarios.test.ts checks they still equal what the builder makes; UPDATE_CAPTURES=1
 * rewrites them) and tshark's figures for them are in test/golden/ (scripts/tshark-golden.sh).
 */
import { pcap, pcapng, tcpPacket, type BuiltPacket, type Link } from '../../helpers/capture-builder.js';

const C = '10.1.1.1:40000';
const S = '10.1.1.2:8009';
const T0 = 1763800000;

/** A small connection kit: the client's and the server's ISN, a clock. */
function conn(opts: { c?: string; s?: string; isnC?: number; isnS?: number; t?: number; link?: Link } = {}) {
  const c = opts.c ?? C;
  const s = opts.s ?? S;
  const link = opts.link ?? 'ether';
  const isnC = opts.isnC ?? 1000;
  const isnS = opts.isnS ?? 90000;
  let t = opts.t ?? T0;
  const at = (dt: number) => (t += dt);
  const fromC = (seq: number, ack: number, flags: string, payload = '', dt = 0.001, extra: { snaplen?: number } = {}) =>
    tcpPacket({ src: c, dst: s, seq: (isnC + seq) >>> 0, ack: ack < 0 ? 0 : (isnS + ack) >>> 0, flags, payload, ts: at(dt), link, ...extra });
  const fromS = (seq: number, ack: number, flags: string, payload = '', dt = 0.001) =>
    tcpPacket({ src: s, dst: c, seq: (isnS + seq) >>> 0, ack: (isnC + ack) >>> 0, flags, payload, ts: at(dt), link });
  const open = (): BuiltPacket[] => [fromC(0, -1, 'S'), fromS(0, 1, 'SA', '', 0.0002), fromC(1, 1, 'A', '', 0.0002)];
  return { fromC, fromS, open, at };
}

const A = (n: number, ch: string) => ch.repeat(n);

export interface TcpCase {
  file: string;
  bytes: () => Buffer;
  /** What our TCP layer must deliver / report (checked in scenarios.test.ts). */
  expect: {
    streams: number;
    c2s?: string[]; // delivered bytes per stream id
    s2c?: string[];
    events?: Record<number, Record<string, number>>;
    gaps?: number[]; // gap byte counts (known sizes), in order
    truncated?: boolean;
  };
}

export const tcpCases: TcpCase[] = [
  {
    // Segment 2 overtaken by segment 3 by 0.1 ms: less than the handshake RTT (0.4 ms), so Wireshark calls it Out-Of-Order.
    file: 'reorder.pcap',
    bytes: () => {
      const k = conn();
      return pcap([
        ...k.open(),
        k.fromC(1, 1, 'A', A(100, 'a')),
        k.fromC(201, 1, 'PA', A(100, 'c')),
        k.fromC(101, 1, 'A', A(100, 'b'), 0.0001),
        k.fromS(1, 301, 'A'),
        k.fromS(1, 301, 'PA', 'ok'),
        k.fromC(301, 3, 'FA'),
        k.fromS(3, 302, 'FA'),
        k.fromC(302, 4, 'A'),
      ]);
    },
    expect: { streams: 1, c2s: [A(100, 'a') + A(100, 'b') + A(100, 'c')], s2c: ['ok'], events: { 0: { 'out-of-order': 1, fin: 2 } } },
  },
  {
    // The request is re-sent after 200 ms (RTO); the response comes once.
    file: 'retransmission.pcap',
    bytes: () => {
      const k = conn();
      return pcap([
        ...k.open(),
        k.fromC(1, 1, 'PA', 'REQUEST'),
        k.fromC(1, 1, 'PA', 'REQUEST', 0.2),
        k.fromS(1, 8, 'PA', 'RESPONSE'),
        k.fromS(1, 8, 'PA', 'RESPONSE', 0.2),
        k.fromC(8, 9, 'A'),
      ]);
    },
    expect: { streams: 1, c2s: ['REQUEST'], s2c: ['RESPONSE'], events: { 0: { retransmission: 2 } } },
  },
  {
    // Re-segmented retransmission: [0,100) then [50,150) and [150,200).
    file: 'overlap.pcap',
    bytes: () => {
      const k = conn();
      const data = Buffer.from(Array.from({ length: 200 }, (_, i) => 65 + (i % 26))).toString('latin1');
      return pcap([
        ...k.open(),
        k.fromC(1, 1, 'A', data.slice(0, 100)),
        k.fromC(51, 1, 'A', data.slice(50, 150), 0.3),
        k.fromC(151, 1, 'PA', data.slice(150, 200)),
        k.fromS(1, 201, 'A'),
      ]);
    },
    expect: {
      streams: 1,
      c2s: [Buffer.from(Array.from({ length: 200 }, (_, i) => 65 + (i % 26))).toString('latin1')],
      s2c: [''],
      events: { 0: { retransmission: 1 } },
    },
  },
  {
    // Bytes 100..199 of the request never reached the capture; Tomcat's ACK shows they were received.
    file: 'gap.pcap',
    bytes: () => {
      const k = conn();
      return pcap([
        ...k.open(),
        k.fromC(1, 1, 'A', A(100, 'a')),
        k.fromC(201, 1, 'PA', A(100, 'c')),
        k.fromS(1, 301, 'A'),
        k.fromS(1, 301, 'PA', 'done'),
      ]);
    },
    expect: { streams: 1, c2s: [A(100, 'a') + A(100, 'c')], s2c: ['done'], gaps: [100] },
  },
  {
    // The capture starts in the middle of a pooled AJP connection: Tomcat speaks first; no handshake.
    file: 'mid-stream.pcap',
    bytes: () => {
      const k = conn({ isnC: 5000000, isnS: 7000000 });
      return pcap([
        k.fromS(0, 0, 'PA', 'AB-tail'),
        k.fromC(0, 7, 'A'),
        k.fromC(0, 7, 'PA', 'request'),
        k.fromS(7, 7, 'PA', 'response'),
      ]);
    },
    expect: { streams: 1, c2s: ['request'], s2c: ['AB-tail' + 'response'], events: { 0: { gap: 2 } } },
  },
  {
    // One 4-tuple, two connections: the first closed with FIN (plus the final ACK), the second opened
    // with a new ISN and reset; a repeated SYN (same ISN) stays in its stream.
    file: 'port-reuse.pcap',
    bytes: () => {
      const k1 = conn({ isnC: 1000, isnS: 90000 });
      const k2 = conn({ isnC: 2000000, isnS: 3000000, t: T0 + 5 });
      return pcap([
        ...k1.open(),
        k1.fromC(1, 1, 'PA', 'one'),
        k1.fromS(1, 4, 'PA', 'ONE'),
        k1.fromC(4, 4, 'FA'),
        k1.fromS(4, 5, 'FA'),
        k1.fromC(5, 5, 'A'),
        k2.fromC(0, -1, 'S'),
        k2.fromC(0, -1, 'S', '', 1),
        k2.fromS(0, 1, 'SA'),
        k2.fromC(1, 1, 'A'),
        k2.fromC(1, 1, 'PA', 'two'),
        k2.fromS(1, 4, 'RA'),
      ]);
    },
    expect: { streams: 2, c2s: ['one', 'two'], s2c: ['ONE', ''], events: { 0: { fin: 2 }, 1: { syn: 1, retransmission: 1, rst: 1 } } },
  },
  {
    // The file ends in the middle of the last record (a capture copied while tcpdump was writing).
    file: 'truncated.pcapng',
    bytes: () => {
      const k = conn({ link: 'sll2' });
      const full = pcapng([...k.open(), k.fromC(1, 1, 'PA', 'first'), k.fromS(1, 6, 'PA', 'second')]);
      return full.subarray(0, full.length - 9);
    },
    expect: { streams: 1, c2s: ['first'], s2c: [''], truncated: true },
  },
  {
    // tcpdump -s 80: the payload of a big segment is cut; the stream stays aligned after it.
    file: 'snaplen.pcap',
    bytes: () => {
      const k = conn();
      return pcap(
        [...k.open(), k.fromC(1, 1, 'A', A(500, 'x'), 0.001, { snaplen: 80 }), k.fromC(501, 1, 'PA', 'tail'), k.fromS(1, 505, 'A')],
        { snaplen: 80 },
      );
    },
    // 80 captured bytes - 14 Ethernet - 20 IP - 20 TCP = 26 payload bytes kept, 474 cut.
    expect: { streams: 1, c2s: [A(26, 'x') + 'tail'], s2c: [''], gaps: [474] },
  },
  {
    // IPv6 in a VLAN, an idle pooled connection kept by a TCP keep-alive.
    file: 'keepalive-v6-vlan.pcap',
    bytes: () => {
      const k = conn({ c: '[2001:db8::1]:41000', s: '[2001:db8::2]:8009', link: 'vlan' });
      return pcap([
        ...k.open(),
        k.fromC(1, 1, 'PA', 'ping'),
        k.fromS(1, 5, 'PA', 'pong'),
        k.fromC(4, 5, 'A', '', 45), // keep-alive: seq = next - 1, after 45 s of silence
        k.fromS(5, 5, 'A', '', 0.0001),
        k.fromS(5, 5, 'A', '', 0.001),
      ]);
    },
    expect: { streams: 1, c2s: ['ping'], s2c: ['pong'], events: { 0: { 'keep-alive': 1, idle: 1 } } },
  },
];
