/**
 * The flow table finds flows by a hash of the 4-tuple (flow-table.ts tupleHash, over the ports and
 * the addresses' numeric keys, net/ Segment.srcKey): 4-tuples that share a chain must stay separate
 * streams, in both directions, through tombstones and port reuse. Every address key is 0 here (a
 * key is only a hash: different addresses may share one), so that the same ports on other hosts,
 * ports swapped between hosts and equal ports all share a chain.
 */
import { describe, expect, it } from 'vitest';
import { TcpFlowTable } from '../../src/tcp/index.js';
import type { StreamData, StreamSummary, TcpSink } from '../../src/tcp/index.js';
import { TcpFlags, type Segment } from '../../src/net/types.js';

const { SYN, ACK, FIN, PSH } = TcpFlags;

interface Ep {
  addr: string;
  port: number;
}

let frame = 0;
function seg(src: Ep, dst: Ep, seq: number, ack: number, flags: number, data = ''): Segment {
  frame++;
  const payload = Buffer.from(data, 'latin1');
  return { frame, ts: 1000 + frame * 0.01, srcAddr: src.addr, dstAddr: dst.addr, srcKey: 0, dstKey: 0, srcPort: src.port, dstPort: dst.port, ipVersion: 4, seq, ack, flags, window: 65535, payload, payloadLenOnWire: payload.length };
}

class Rec implements TcpSink {
  data = new Map<string, string>();
  ends: StreamSummary[] = [];
  onData(c: StreamData): void {
    const k = `${c.stream} ${c.dir}`;
    this.data.set(k, (this.data.get(k) ?? '') + c.data.toString('latin1'));
  }
  /** Holds every summary: late packets are counted into it. */
  onStreamEnd(s: StreamSummary): boolean {
    this.ends.push(s);
    return true;
  }
}

describe('flows sharing a table bucket', () => {
  // Each group shares a bucket: 40000/8009 on other hosts or swapped; 1/(16384^5) and 0/5 both fold to 5; 7000/7000.
  const pairs: [Ep, Ep][] = [
    [{ addr: '10.0.0.1', port: 40000 }, { addr: '10.0.0.2', port: 8009 }],
    [{ addr: '10.0.0.3', port: 40000 }, { addr: '10.0.0.2', port: 8009 }], // same ports, other client
    [{ addr: '10.0.0.1', port: 8009 }, { addr: '10.0.0.2', port: 40000 }], // ports swapped between hosts
    [{ addr: '10.0.0.4', port: 1 }, { addr: '10.0.0.5', port: 16384 ^ 5 }],
    [{ addr: '10.0.0.4', port: 0 }, { addr: '10.0.0.5', port: 5 }],
    [{ addr: '10.0.0.6', port: 7000 }, { addr: '10.0.0.7', port: 7000 }], // equal ports
    [{ addr: '10.0.0.7', port: 7000 }, { addr: '10.0.0.8', port: 7000 }],
  ];

  it('keeps interleaved connections apart, both ways, and numbers them in order of appearance', () => {
    const rec = new Rec();
    const t = new TcpFlowTable(rec);
    const isn = (i: number) => 1000 * (i + 1);
    pairs.forEach(([c, s], i) => t.push(seg(c, s, isn(i), 0, SYN)));
    pairs.forEach(([c, s], i) => t.push(seg(s, c, 90000 + i, isn(i) + 1, SYN | ACK)));
    pairs.forEach(([c, s], i) => t.push(seg(c, s, isn(i) + 1, 90001 + i, ACK | PSH, `req${i}`)));
    pairs.forEach(([c, s], i) => t.push(seg(s, c, 90001 + i, isn(i) + 5, ACK | PSH, `rsp${i}`)));
    pairs.forEach(([c, s], i) => t.push(seg(c, s, isn(i) + 5, 90005 + i, FIN | ACK)));
    pairs.forEach(([c, s], i) => t.push(seg(s, c, 90005 + i, isn(i) + 6, FIN | ACK)));
    // The last ACKs come after every stream has ended: they find the tombstones.
    pairs.forEach(([c, s], i) => t.push(seg(c, s, isn(i) + 6, 90006 + i, ACK)));
    t.finish();
    expect(t.streamCount).toBe(pairs.length);
    pairs.forEach((_, i) => {
      expect(rec.data.get(`${i} c2s`)).toBe(`req${i}`);
      expect(rec.data.get(`${i} s2c`)).toBe(`rsp${i}`);
    });
    const byId = [...rec.ends].sort((a, b) => a.info.id - b.info.id);
    expect(byId.map((e) => [e.info.client.addr, e.info.client.port, e.info.server.addr, e.info.server.port])).toEqual(pairs.map(([c, s]) => [c.addr, c.port, s.addr, s.port]));
    expect(byId.map((e) => e.packets)).toEqual(pairs.map(() => ({ c2s: 4, s2c: 3 })));
    expect(byId.map((e) => e.end)).toEqual(pairs.map(() => 'fin'));
  });

  it('port reuse on one 4-tuple of a shared bucket starts a new stream and leaves the others alone', () => {
    const rec = new Rec();
    const t = new TcpFlowTable(rec);
    const [a, b] = [pairs[0], pairs[1]];
    t.push(seg(a[0], a[1], 100, 0, SYN));
    t.push(seg(b[0], b[1], 200, 0, SYN));
    t.push(seg(a[0], a[1], 101, 0, ACK | PSH, 'one'));
    t.push(seg(b[0], b[1], 201, 0, ACK | PSH, 'two'));
    t.push(seg(a[0], a[1], 7777, 0, SYN)); // new ISN on a's 4-tuple: stream 2
    t.push(seg(a[0], a[1], 7778, 0, ACK | PSH, 'three'));
    t.push(seg(b[0], b[1], 204, 0, ACK | PSH, 'four'));
    t.finish();
    expect(t.streamCount).toBe(3);
    expect(rec.data.get('0 c2s')).toBe('one');
    expect(rec.data.get('1 c2s')).toBe('twofour');
    expect(rec.data.get('2 c2s')).toBe('three');
  });
});
