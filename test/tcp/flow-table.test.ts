import { describe, expect, it } from 'vitest';
import { TcpFlowTable, copyTcpEvent, seqAdd, seqDiff, serverByContent, serverByPort } from '../../src/tcp/index.js';
import type { StreamData, StreamSummary, TcpEvent, TcpSink } from '../../src/tcp/index.js';
import { TcpFlags, type Segment } from '../../src/net/types.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlags;

/** Records everything a sink receives. */
class Recorder implements TcpSink {
  starts: number[] = [];
  chunks: StreamData[] = [];
  events: TcpEvent[] = [];
  ends: StreamSummary[] = [];
  onStreamStart(info: { id: number }): void {
    this.starts.push(info.id);
  }
  onData(c: StreamData): void {
    // The table's StreamData object and its bytes are valid only during the call: a copy of each.
    this.chunks.push({ stream: c.stream, dir: c.dir, data: Buffer.from(c.data), frames: c.frames, ts: c.ts, offset: c.offset });
  }
  onEvent(e: TcpEvent): void {
    // The table's TcpEvent is refilled for every event: a copy of each.
    this.events.push(copyTcpEvent(e));
  }
  /** Holds every summary: late packets are counted into it. */
  onStreamEnd(s: StreamSummary): boolean {
    this.ends.push(s);
    return true;
  }
  bytes(stream: number, dir: 'c2s' | 's2c'): string {
    return Buffer.concat(this.chunks.filter((c) => c.stream === stream && c.dir === dir).map((c) => c.data)).toString('latin1');
  }
  kinds(stream?: number): string[] {
    return this.events.filter((e) => stream === undefined || e.stream === stream).map((e) => e.kind);
  }
}

const C = { addr: '10.0.0.1', port: 40000 };
const S = { addr: '10.0.0.2', port: 8009 };

/** net/ Segment.srcKey of a dotted IPv4 address (the address as a number, as decodeTcp gives it). */
function addrKey(addr: string): number {
  return addr.split('.').reduce((k, x) => (k << 8) | Number(x), 0);
}

let frameNo = 0;
function seg(
  from: 'c' | 's',
  p: { seq: number; ack?: number; flags?: number; data?: string; ts?: number; wireLen?: number; window?: number; c?: typeof C; s?: typeof S },
): Segment {
  const c = p.c ?? C;
  const s = p.s ?? S;
  const [src, dst] = from === 'c' ? [c, s] : [s, c];
  const payload = Buffer.from(p.data ?? '', 'latin1');
  frameNo++;
  return {
    frame: frameNo,
    ts: p.ts ?? 1000 + frameNo * 0.1,
    srcAddr: src.addr,
    dstAddr: dst.addr,
    srcKey: addrKey(src.addr),
    dstKey: addrKey(dst.addr),
    srcPort: src.port,
    dstPort: dst.port,
    ipVersion: 4,
    seq: p.seq >>> 0,
    ack: (p.ack ?? 0) >>> 0,
    flags: p.flags ?? ACK,
    window: p.window ?? 65535,
    payload,
    payloadLenOnWire: p.wireLen ?? payload.length,
  };
}

/** Client ISN 100, server ISN 5000: after the handshake client data starts at 101, server data at 5001. */
function handshake(t: TcpFlowTable, ts = 1000): void {
  t.push(seg('c', { seq: 100, flags: SYN, ts }));
  t.push(seg('s', { seq: 5000, ack: 101, flags: SYN | ACK, ts: ts + 0.0001 }));
  t.push(seg('c', { seq: 101, ack: 5001, ts: ts + 0.0002 }));
}

describe('seq arithmetic', () => {
  it('wraps at 2^32', () => {
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(seqDiff(0x10, 0xfffffff0)).toBe(0x20);
    expect(seqDiff(0xfffffff0, 0x10)).toBe(-0x20);
  });
});

describe('TcpFlowTable', () => {
  it('follows a full connection: roles, in-order data, events, summary with the last ACK', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, flags: ACK | PSH, data: 'hello ' }));
    t.push(seg('c', { seq: 107, ack: 5001, flags: ACK | PSH, data: 'world' }));
    t.push(seg('s', { seq: 5001, ack: 112, flags: ACK | PSH, data: 'HI' }));
    t.push(seg('c', { seq: 112, ack: 5003, flags: FIN | ACK }));
    t.push(seg('s', { seq: 5003, ack: 113, flags: FIN | ACK }));
    expect(r.ends).toHaveLength(1);
    t.push(seg('c', { seq: 113, ack: 5004, flags: ACK })); // last ACK: same stream, after the end
    t.finish();
    expect(r.starts).toEqual([0]);
    expect(r.ends).toHaveLength(1);
    const s = r.ends[0];
    expect(s.info.client).toEqual(C);
    expect(s.info.server).toEqual(S);
    expect(s.info.roleFrom).toBe('handshake');
    expect(s.end).toBe('fin');
    expect(s.packets).toEqual({ c2s: 6, s2c: 3 });
    expect(s.payloadBytes).toEqual({ c2s: 11, s2c: 2 });
    expect(s.deliveredBytes).toEqual({ c2s: 11, s2c: 2 });
    expect(r.bytes(0, 'c2s')).toBe('hello world');
    expect(r.bytes(0, 's2c')).toBe('HI');
    expect(r.chunks.map((c) => c.offset)).toEqual([0, 6, 0]);
    expect(r.chunks.map((c) => c.frames.length)).toEqual([1, 1, 1]);
    expect(r.kinds()).toEqual(['syn', 'syn-ack', 'fin', 'fin']);
    expect(t.streamCount).toBe(1);
    expect(t.openCount).toBe(0);
  });

  it('finish ends the open flows in stream order, calling onEnding after every `every` of them and after the last', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    for (let i = 0; i < 7; i++) t.push(seg('c', { seq: 1, flags: SYN, c: { addr: '10.0.0.1', port: 41000 + i } }));
    // one of them closed before the end: not ended again
    t.push(seg('c', { seq: 2, flags: RST, c: { addr: '10.0.0.1', port: 41003 } }));
    expect(r.ends).toHaveLength(1);
    const calls: Array<[number, number, number]> = [];
    t.finish((ended, open) => calls.push([ended, open, r.ends.length]), 2);
    // each call comes once that many flows have been handed to the sinks
    expect(calls).toEqual([
      [2, 6, 3],
      [4, 6, 5],
      [6, 6, 7],
    ]);
    expect(r.ends.slice(1).map((e) => e.info.id)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(r.ends.slice(1).every((e) => e.end === 'open')).toBe(true);
    const none: number[] = [];
    new TcpFlowTable(new Recorder()).finish(() => none.push(1));
    expect(none).toEqual([]);
  });

  it('reorders out-of-order segments and labels them as Wireshark does (3 ms threshold without handshake RTT)', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('c', { seq: 1000, ack: 1, data: 'AAAA', ts: 10 }));
    t.push(seg('c', { seq: 1008, ack: 1, data: 'CCCC', ts: 10.0001 }));
    t.push(seg('c', { seq: 1004, ack: 1, data: 'BBBB', ts: 10.0012 })); // fills the hole 1.1 ms later
    t.push(seg('c', { seq: 1016, ack: 1, data: 'EEEE', ts: 11 }));
    t.push(seg('c', { seq: 1012, ack: 1, data: 'DDDD', ts: 12 })); // fills it one second later
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('AAAABBBBCCCCDDDDEEEE');
    expect(r.chunks.map((c) => c.offset)).toEqual([0, 4, 8, 12, 16]);
    expect(r.kinds(0)).toEqual(['gap', 'out-of-order', 'retransmission']);
    expect(r.events[0].value).toBeUndefined(); // mid-stream start: size unknown
    expect(r.ends[0].counts['out-of-order']).toBe(1);
  });

  it('drops retransmitted bytes, trims overlaps, and counts tcp.len including retransmissions', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: '0123456789' }));
    t.push(seg('c', { seq: 101, ack: 5001, data: '0123456789', ts: 2000 })); // full retransmission
    t.push(seg('c', { seq: 106, ack: 5001, data: '56789abcde', ts: 2001 })); // overlaps 5 bytes
    t.push(seg('c', { seq: 116, ack: 5001, data: 'f' }));
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('0123456789abcdef');
    const s = r.ends[0];
    expect(s.payloadBytes.c2s).toBe(31);
    expect(s.deliveredBytes.c2s).toBe(16);
    expect(s.counts.retransmission).toBe(2);
    const rt = r.events.filter((e) => e.kind === 'retransmission');
    expect(rt.map((e) => e.value)).toEqual([10, 10]);
    expect(s.end).toBe('open');
  });

  it('declares a gap when the peer ACKs past a hole, then carries on after it', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'aaaaaaaaaa' }));
    // bytes 111..120 never captured
    t.push(seg('c', { seq: 121, ack: 5001, data: 'cccccccccc' }));
    expect(r.bytes(0, 'c2s')).toBe('aaaaaaaaaa'); // still waiting
    const ackFrame = frameNo + 1;
    t.push(seg('s', { seq: 5001, ack: 131 })); // Tomcat got everything
    expect(r.bytes(0, 'c2s')).toBe('aaaaaaaaaacccccccccc');
    const gap = r.events.find((e) => e.kind === 'gap');
    expect(gap?.value).toBe(10);
    expect(gap?.dir).toBe('c2s');
    expect(gap?.frame).toBe(ackFrame - 1); // where delivery resumes
    expect(r.chunks[1].offset).toBe(20);
    t.finish();
    expect(r.ends[0].gapBytes.c2s).toBe(10);
  });

  it('flushes an unfilled hole as a gap at the end of the capture', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'xx' }));
    t.push(seg('c', { seq: 110, ack: 5001, data: 'yy' }));
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('xxyy');
    expect(r.events.filter((e) => e.kind === 'gap').map((e) => e.value)).toEqual([7]);
  });

  it('decides roles by port for streams already open: the AJP port is the server even if it speaks first', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('s', { seq: 9000, ack: 300, data: 'AB' }));
    t.push(seg('c', { seq: 300, ack: 9002, data: '\x12\x34' }));
    t.finish();
    const s = r.ends[0];
    expect(s.info.roleFrom).toBe('port');
    expect(s.info.server).toEqual(S);
    expect(s.packets).toEqual({ c2s: 1, s2c: 1 });
    expect(r.events.filter((e) => e.kind === 'gap').map((e) => e.dir)).toEqual(['s2c', 'c2s']);
    expect(serverByPort(51000, 6666)).toBe('dst');
    expect(serverByPort(22, 50000)).toBe('src');
    expect(serverByPort(40001, 40002)).toBeUndefined();
  });

  it('falls back to the first sender as client when ports do not tell', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    const a = { addr: '192.168.1.1', port: 40001 };
    const b = { addr: '192.168.1.2', port: 40002 };
    t.push(seg('s', { seq: 1, ack: 1, data: 'x', c: a, s: b }));
    t.finish();
    expect(r.ends[0].info.roleFrom).toBe('first-packet');
    expect(r.ends[0].info.client).toEqual(b);
  });

  it('starts a new stream for a SYN with another ISN on a finished 4-tuple; a repeated SYN stays', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, flags: FIN | ACK }));
    t.push(seg('s', { seq: 5001, ack: 102, flags: FIN | ACK }));
    t.push(seg('c', { seq: 102, ack: 5002 }));
    t.push(seg('c', { seq: 777, flags: SYN })); // port reuse
    t.push(seg('c', { seq: 777, flags: SYN })); // SYN retransmission
    t.push(seg('s', { seq: 9000, ack: 778, flags: SYN | ACK }));
    t.push(seg('c', { seq: 778, ack: 9001, data: 'new' }));
    t.finish();
    expect(r.starts).toEqual([0, 1]);
    expect(r.ends.map((s) => [s.info.id, s.end])).toEqual([
      [0, 'fin'],
      [1, 'open'],
    ]);
    expect(r.ends[0].packets).toEqual({ c2s: 4, s2c: 2 });
    expect(r.ends[1].packets).toEqual({ c2s: 3, s2c: 1 });
    expect(r.bytes(1, 'c2s')).toBe('new');
    expect(r.kinds(1)).toEqual(['syn', 'retransmission', 'syn-ack']);
  });

  it('also starts a new stream for a new SYN on a 4-tuple that never closed (ISN differs)', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 50000, flags: SYN }));
    t.finish();
    expect(r.starts).toEqual([0, 1]);
    expect(r.ends[0].end).toBe('open');
  });

  it('delivers across the 2^32 sequence wrap', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('c', { seq: 0xfffffff9, flags: SYN }));
    t.push(seg('s', { seq: 1, ack: 0xfffffffa, flags: SYN | ACK }));
    t.push(seg('c', { seq: 0xfffffffa, ack: 2, data: '0123456789' }));
    t.push(seg('c', { seq: 10, ack: 2, data: 'ghij' })); // after a hole 4..9
    t.push(seg('c', { seq: 4, ack: 2, data: 'abcdef' }));
    t.push(seg('c', { seq: 0xfffffffa, ack: 2, data: '0123456789', ts: 5000 })); // old retransmission
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('0123456789abcdefghij');
    expect(r.ends[0].counts.retransmission).toBe(1);
    expect(r.events.filter((e) => e.kind === 'gap')).toEqual([]);
  });

  it('bounds buffering: past the limit the hole is given up with buffer-limit and gap events', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { maxBufferPerFlow: 100 });
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'a' }));
    // hole at 102..111, then 3 × 40 bytes
    for (let i = 0; i < 3; i++) t.push(seg('c', { seq: 112 + i * 40, ack: 5001, data: String(i).repeat(40) }));
    expect(r.kinds()).toContain('buffer-limit');
    const gap = r.events.find((e) => e.kind === 'gap');
    expect(gap?.value).toBe(10);
    expect(r.bytes(0, 'c2s')).toBe('a' + '0'.repeat(40) + '1'.repeat(40) + '2'.repeat(40));
    t.finish();
  });

  it('reassembles thousands of segments that arrive in reverse order (out-of-order buffer as a heap)', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    const n = 3000;
    const text = (i: number): string => String(i % 10).repeat(7);
    // Segments 1..n-1 in reverse, then segment 0 fills the hole: everything is delivered in order.
    for (let i = n - 1; i >= 1; i--) t.push(seg('c', { seq: 101 + i * 7, ack: 5001, data: text(i), ts: 1001 + (n - i) * 1e-6 }));
    expect(r.chunks).toEqual([]);
    const firstFrame = frameNo + 1;
    t.push(seg('c', { seq: 101, ack: 5001, data: text(0), ts: 1002 }));
    let want = '';
    for (let i = 0; i < n; i++) want += text(i);
    expect(r.bytes(0, 'c2s')).toBe(want);
    expect(r.chunks.map((c) => c.offset)).toEqual(Array.from({ length: n }, (_, i) => i * 7));
    // The segment sent last in capture order (lowest seq) comes first, then the others by seq.
    expect(r.chunks[0].frames).toEqual([firstFrame]);
    expect(r.chunks[1].frames).toEqual([firstFrame - 1]);
    expect(r.chunks[n - 1].frames).toEqual([firstFrame - n + 1]);
    t.finish();
    expect(r.ends[0].deliveredBytes.c2s).toBe(n * 7);
    expect(r.ends[0].gapBytes.c2s).toBe(0);
  });

  it('delivers the first-arrived of two buffered segments at the same sequence number', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 105, ack: 5001, data: 'XXXX' }));
    t.push(seg('c', { seq: 105, ack: 5001, data: 'YYYYYY' }));
    t.push(seg('c', { seq: 101, ack: 5001, data: 'abcd' }));
    t.finish();
    // XXXX first, then the 2 bytes of YYYYYY beyond it (overlap trimmed).
    expect(r.bytes(0, 'c2s')).toBe('abcdXXXXYY');
  });

  it('bounds buffering across streams: past the total budget a stream gives up its hole', () => {
    const r = new Recorder();
    // Room for one 100-byte segment with its bookkeeping, not two.
    const t = new TcpFlowTable(r, { maxBufferTotal: 400 });
    const c2 = { addr: '10.0.0.3', port: 40001 };
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'a' }));
    t.push(seg('c', { seq: 112, ack: 5001, data: 'x'.repeat(100) })); // hole of 10 bytes, buffered
    expect(r.kinds()).not.toContain('buffer-limit');
    t.push(seg('c', { seq: 7000, ack: 1, data: 'b', c: c2 })); // stream 1, mid-stream start
    t.push(seg('c', { seq: 7011, ack: 1, data: 'y'.repeat(100), c: c2 })); // over the total: jumps its hole
    const limit = r.events.find((e) => e.kind === 'buffer-limit');
    expect(limit?.stream).toBe(1);
    expect(limit?.detail).toContain('all streams together');
    expect(r.events.find((e) => e.kind === 'gap' && e.stream === 1 && e.value !== undefined)?.value).toBe(10);
    expect(r.bytes(1, 'c2s')).toBe('b' + 'y'.repeat(100));
    // Stream 0 kept its buffered segment: it is delivered when its hole fills.
    t.push(seg('c', { seq: 102, ack: 5001, data: '0123456789' }));
    expect(r.bytes(0, 'c2s')).toBe('a0123456789' + 'x'.repeat(100));
    t.finish();
  });

  it('reports idle periods, keep-alives and zero windows', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { idleThreshold: 30 });
    handshake(t, 100);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'req', ts: 101 }));
    t.push(seg('c', { seq: 103, ack: 5001, ts: 141 })); // keep-alive 40 s later (seq = next - 1)
    t.push(seg('s', { seq: 5001, ack: 104, ts: 141.001 }));
    t.push(seg('s', { seq: 5001, ack: 104, window: 0, ts: 141.002 }));
    t.push(seg('s', { seq: 5001, ack: 104, window: 0, ts: 141.003 })); // still zero: no new event
    t.push(seg('s', { seq: 5001, ack: 104, window: 1000, ts: 141.004 }));
    t.finish();
    expect(r.kinds(0)).toEqual(['syn', 'syn-ack', 'idle', 'keep-alive', 'zero-window']);
    const idle = r.events.find((e) => e.kind === 'idle');
    expect(idle?.value).toBeCloseTo(40, 6);
    expect(r.bytes(0, 'c2s')).toBe('req');
  });

  it('ends a stream on RST and keeps counting late packets into the same summary', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('s', { seq: 5001, ack: 101, flags: RST | ACK }));
    expect(r.ends.map((s) => s.end)).toEqual(['rst']);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'late' }));
    t.finish();
    expect(r.starts).toEqual([0]);
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0].packets).toEqual({ c2s: 3, s2c: 2 });
    expect(r.ends[0].payloadBytes.c2s).toBe(4);
    expect(r.chunks).toHaveLength(0);
  });

  it('counts late packets only into a summary a sink keeps (returns true); one nobody keeps is left as handed out', () => {
    for (const keep of [true, false]) {
      const seen: StreamSummary[] = [];
      const t = new TcpFlowTable({
        onStreamEnd: (s) => {
          seen.push(s);
          return keep;
        },
      });
      handshake(t);
      t.push(seg('s', { seq: 5001, ack: 101, flags: RST | ACK }));
      t.push(seg('c', { seq: 101, ack: 5001, data: 'late', ts: 99 }));
      t.push(seg('c', { seq: 101, ack: 5001, data: 'late', ts: 100 })); // a retransmission of it
      t.finish();
      expect(seen).toHaveLength(1);
      expect(seen[0].packets).toEqual(keep ? { c2s: 4, s2c: 2 } : { c2s: 2, s2c: 2 });
      expect(seen[0].payloadBytes.c2s).toBe(keep ? 8 : 0);
      expect(seen[0].counts.retransmission).toBe(keep ? 1 : undefined);
      expect(seen[0].lastTs === 100).toBe(keep);
    }
  });

  it('reports bytes cut by the snaplen as a gap and keeps the stream aligned', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'abc', wireLen: 10 }));
    t.push(seg('c', { seq: 111, ack: 5001, data: 'next' }));
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('abcnext');
    expect(r.chunks[1].offset).toBe(10);
    expect(r.events.filter((e) => e.kind === 'gap').map((e) => e.value)).toEqual([7]);
    expect(r.ends[0].payloadBytes.c2s).toBe(14);
  });

  it('releases finished flows and keeps only a bounded number of tombstones', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { maxClosedFlows: 10 });
    for (let i = 0; i < 100; i++) {
      const c = { addr: '10.0.0.1', port: 40000 + i };
      t.push(seg('c', { seq: 1, flags: SYN, c }));
      t.push(seg('s', { seq: 1, ack: 2, flags: SYN | ACK, c }));
      t.push(seg('c', { seq: 2, ack: 2, flags: RST, c }));
    }
    expect(t.openCount).toBe(0);
    expect(r.ends).toHaveLength(100);
    expect(t.heldFlows).toBe(10);
    t.finish();
    expect(t.heldFlows).toBe(0); // the slots' columns are let go at the end
  });

  it('reuses the slots of dropped tombstones and still ends open streams in id order', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { maxClosedFlows: 2 });
    const ep = (i: number): { addr: string; port: number } => ({ addr: '10.0.0.1', port: 41000 + i });
    // Streams 0..4 open; 1 and 3 close (their slots are dropped from the 2-tombstone budget later).
    for (let i = 0; i < 5; i++) t.push(seg('c', { seq: 1, flags: SYN, c: ep(i) }));
    for (const i of [1, 3]) t.push(seg('c', { seq: 2, flags: RST, c: ep(i) }));
    for (let i = 5; i < 9; i++) {
      t.push(seg('c', { seq: 1, flags: SYN, c: ep(i) }));
      t.push(seg('c', { seq: 2, flags: RST, c: ep(i) }));
    }
    // Streams 9 and 10 take reused slots.
    t.push(seg('c', { seq: 1, flags: SYN, c: ep(9) }));
    t.push(seg('c', { seq: 1, flags: SYN, c: ep(10) }));
    expect(t.heldFlows).toBe(3 + 2 + 2); // open 0, 2, 4, 9, 10 + 2 tombstones
    // A packet on stream 2's 4-tuple still finds it.
    t.push(seg('s', { seq: 9, ack: 2, flags: SYN | ACK, c: ep(2) }));
    const before = r.ends.length;
    t.finish();
    expect(r.ends.slice(before).map((s) => s.info.id)).toEqual([0, 2, 4, 9, 10]);
    expect(r.ends.find((s) => s.info.id === 2)?.packets).toEqual({ c2s: 1, s2c: 1 });
    expect(r.ends.find((s) => s.info.id === 10)?.info.client).toEqual(ep(10));
  });

  it('lists a stream\'s event counts in the order the kinds first occurred', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('c', { seq: 1000, ack: 1, data: 'AAAA', ts: 10 })); // gap (mid-stream)
    t.push(seg('s', { seq: 1, ack: 1004, window: 0, ts: 10.1 })); // gap (mid-stream), zero-window
    t.push(seg('c', { seq: 1000, ack: 1, data: 'AAAA', ts: 11 })); // retransmission
    t.push(seg('c', { seq: 1004, ack: 1, flags: ACK | FIN, ts: 12 })); // fin
    t.push(seg('s', { seq: 1, ack: 1005, flags: ACK | FIN, ts: 13 })); // fin: ends
    t.push(seg('c', { seq: 1004, ack: 2, flags: ACK | FIN, ts: 14 })); // late FIN retransmission
    expect(Object.entries(r.ends[0].counts)).toEqual([
      ['gap', 2],
      ['zero-window', 1],
      ['retransmission', 2],
      ['fin', 2],
    ]);
    expect(r.ends[0].endBy).toBe('c2s');
    expect(r.ends[0].packets).toEqual({ c2s: 4, s2c: 2 });
  });
});

describe('TcpFlowTable limits', () => {
  it('jumps over a hole to a segment larger than the whole buffer budget', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { maxBufferPerFlow: 10 });
    handshake(t);
    t.push(seg('c', { seq: 101, ack: 5001, data: 'a' }));
    t.push(seg('c', { seq: 110, ack: 5001, data: 'b'.repeat(20) })); // hole 102..109, 20 > 10
    t.push(seg('c', { seq: 130, ack: 5001, data: 'c' }));
    t.finish();
    expect(r.bytes(0, 'c2s')).toBe('a' + 'b'.repeat(20) + 'c');
    expect(r.kinds(0)).toContain('buffer-limit');
    expect(r.events.filter((e) => e.kind === 'gap').map((e) => e.value)).toEqual([8]);
    expect(r.ends[0].gapBytes.c2s).toBe(8);
  });

  it('remembers who closed first and who reset', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    handshake(t);
    t.push(seg('s', { seq: 5001, ack: 101, flags: FIN | ACK }));
    t.push(seg('c', { seq: 101, ack: 5002, flags: FIN | ACK }));
    const c2 = { addr: '10.0.0.1', port: 40001 };
    t.push(seg('c', { seq: 1, flags: SYN, c: c2 }));
    t.push(seg('s', { seq: 1, ack: 2, flags: RST | ACK, c: c2 })); // connection refused
    t.finish();
    expect(r.ends.map((s) => [s.info.id, s.end, s.endBy, s.midStream])).toEqual([
      [0, 'fin', 's2c', false],
      [1, 'rst', 's2c', false],
    ]);
  });
});

describe('roles from content', () => {
  const a = { addr: '192.168.1.1', port: 40001 };
  const b = { addr: '192.168.1.2', port: 40002 };
  it('AJP magic: "AB" comes from the container, 0x1234 goes to it', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('s', { seq: 1, ack: 1, data: 'AB\x00\x02\x05\x01', c: a, s: b })); // END_RESPONSE from b
    const c = { addr: '192.168.1.3', port: 40003 };
    t.push(seg('c', { seq: 1, ack: 1, data: '\x12\x34\x00\x01\x0a', c, s: b })); // CPING from c
    t.finish();
    expect(r.ends.map((s) => [s.info.roleFrom, s.info.server.port])).toEqual([
      ['content', 40002],
      ['content', 40002],
    ]);
  });
  it('HTTP: a request line (MCMP methods too) comes from the client, a status line from the server', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r);
    t.push(seg('s', { seq: 1, ack: 1, data: 'HTTP/1.1 200 OK\r\n', c: a, s: b }));
    t.push(seg('c', { seq: 1, ack: 1, data: 'ENABLE-APP / HTTP/1.1\r\n', c: { addr: '192.168.1.9', port: 40009 }, s: b }));
    t.finish();
    expect(r.ends.map((s) => [s.info.roleFrom, s.info.server.port])).toEqual([
      ['content', 40002],
      ['content', 40002],
    ]);
    expect(serverByContent(Buffer.from('xyzw'))).toBeUndefined();
  });
});

describe('TcpFlowTable open-flow cap', () => {
  const ep = (i: number): { addr: string; port: number } => ({ addr: '10.0.1.1', port: 42000 + i });

  it('closes the flow idle the longest, keeps its stream id for later packets, and numbers new streams as before', () => {
    const r = new Recorder();
    const t = new TcpFlowTable(r, { maxOpenFlows: 3 });
    for (let i = 0; i < 3; i++) t.push(seg('c', { seq: 1000 * i, flags: SYN, c: ep(i), ts: 1 + i }));
    // Stream 0 is active again: stream 1 is now the one idle the longest.
    t.push(seg('s', { seq: 50, ack: 1, flags: SYN | ACK, c: ep(0), ts: 4 }));
    t.push(seg('c', { seq: 3000, flags: SYN, c: ep(3), ts: 5 })); // a 4th: stream 1 is closed early
    expect(t.evictedFlows).toBe(1);
    expect(r.ends.map((s) => [s.info.id, s.end])).toEqual([[1, 'timeout']]);
    expect(t.openCount).toBe(3);
    // A later packet on stream 1's 4-tuple stays stream 1 (not decoded), and does not open a stream.
    t.push(seg('s', { seq: 70, ack: 1001, flags: SYN | ACK, c: ep(1), ts: 6 }));
    t.push(seg('c', { seq: 1001, ack: 71, data: 'late', c: ep(1), ts: 6.1 }));
    expect(t.parkedPackets).toBe(2);
    expect(t.streamCount).toBe(4);
    expect(r.chunks).toEqual([]);
    // A SYN with another ISN on it is a new connection: a new stream, as in Wireshark.
    t.push(seg('c', { seq: 9999, flags: SYN, c: ep(1), ts: 7 }));
    expect(t.streamCount).toBe(5);
    expect(r.starts).toEqual([0, 1, 2, 3, 4]);
    t.finish();
    expect(r.ends.map((s) => s.info.id)).toEqual([1, 2, 0, 3, 4]);
    expect(t.evictedFlows).toBe(2); // stream 2, when stream 4 opened
  });

  it('bounds the flows held: a million-flow scan keeps at most the cap open', () => {
    const r = new Recorder();
    const t = new TcpFlowTable({ onStreamEnd: (s) => r.ends.length < 5 && r.ends.push(s) > 0 }, { maxOpenFlows: 1000 });
    for (let i = 0; i < 20000; i++) t.push(seg('c', { seq: i, flags: SYN, c: { addr: `10.2.${i >> 8}.${i & 255}`, port: 1024 + (i % 600) } }));
    expect(t.streamCount).toBe(20000);
    expect(t.openCount).toBe(1000);
    expect(t.heldFlows).toBe(1000);
    expect(t.evictedFlows).toBe(19000);
    t.finish();
  });
});

