import { describe, expect, it } from 'vitest';
import { decodePacket, PacketReader } from '../../src/ajp/index.js';
import type { RawPacket, SkippedBytes } from '../../src/ajp/index.js';
import { body, CPING, forwardRequest, GBC_8186, hex, sendBodyChunk, sendHeaders } from './helpers.js';

function collect(side: 'web-server' | 'container', inSync = true) {
  const packets: RawPacket[] = [];
  const skipped: SkippedBytes[] = [];
  const r = new PacketReader(side, { packet: (p) => packets.push({ ...p, payload: Buffer.from(p.payload) }), skipped: (s) => skipped.push(s) }, inSync);
  return { r, packets, skipped };
}

/**
 * A chunk of data[s, e) as the flow table hands it over: in place in a larger buffer (here between
 * AJP headers that would be read as packets past the chunk's ends), its `data` view never to be made.
 */
function inPlace(data: Buffer, s: number, e: number, frame: number) {
  const pad = Buffer.from([0x12, 0x34, 0x00, 0x01, 0x0a, 0x12, 0x34]);
  const bytes = Buffer.concat([pad, data.subarray(s, e), pad]);
  return {
    bytes,
    start: pad.length,
    end: pad.length + (e - s),
    frames: [frame],
    ts: frame,
    offset: s,
    get data(): Buffer {
      throw new Error('the reader made the view of a chunk given in place');
    },
  };
}

const stream = Buffer.concat([CPING, forwardRequest({ uri: '/a' }), body(Buffer.alloc(9000 - 6, 7)), CPING]);

describe('PacketReader', () => {
  it('cuts the same packets whatever the segment boundaries, with the frames each came from', () => {
    const whole = collect('web-server');
    whole.r.push({ data: stream, frames: [1], ts: 1, offset: 0 });
    for (const size of [1, 3, 7, 1448]) {
      const split = collect('web-server');
      let frame = 1;
      for (let o = 0; o < stream.length; o += size) split.r.push({ data: stream.subarray(o, o + size), frames: [frame++], ts: frame, offset: o });
      expect(split.packets.map((p) => [p.magic, p.length, p.offset])).toEqual(whole.packets.map((p) => [p.magic, p.length, p.offset]));
      expect(split.packets.map((p) => p.payload.equals(whole.packets[split.packets.indexOf(p)]!.payload))).toEqual([true, true, true, true]);
      if (size === 1) expect(split.packets[0]!.frames).toEqual([1, 2, 3, 4, 5]); // CPING: 5 bytes, 5 frames
    }
    expect(whole.packets.map((p) => p.length)).toEqual([1, forwardRequest({ uri: '/a' }).length - 4, 8996, 1]);
  });

  it('reads a chunk given in place (bytes[start, end) of a larger buffer, as the flow table gives it) as the same bytes given as a view, and never makes the view', () => {
    // A mid-stream start (junk before the first header) and a gap, so that resynchronisation and
    // the kept buffer see in-place chunks too; the bytes around each chunk are 0x12 0x34 headers
    // that would frame differently if read past the chunk's end.
    const junk = Buffer.alloc(13, 0x41);
    const data = Buffer.concat([junk, stream, forwardRequest({ uri: '/b' }), CPING]);
    const lost = { from: junk.length + stream.length + 10, to: junk.length + stream.length + 30 };
    for (const size of [1, 5, 1448, data.length]) {
      const views = collect('web-server', false);
      const placed = collect('web-server', false);
      let frame = 1;
      for (let o = 0; o < data.length; o += size, frame++) {
        let s = o;
        const e = Math.min(o + size, data.length);
        if (e <= lost.from || s >= lost.to) {
          // as is
        } else if (s < lost.from) {
          views.r.push({ data: data.subarray(s, lost.from), frames: [frame], ts: frame, offset: s });
          placed.r.push(inPlace(data, s, lost.from, frame));
          if (e <= lost.to) continue;
          s = lost.to;
        } else if (e <= lost.to) continue;
        else s = lost.to;
        views.r.push({ data: data.subarray(s, e), frames: [frame], ts: frame, offset: s });
        placed.r.push(inPlace(data, s, e, frame));
      }
      views.r.end();
      placed.r.end();
      expect(placed.packets.map((p) => [p.magic, p.length, p.offset, p.frames, p.payload.toString('hex')]), `size ${size}`).toEqual(views.packets.map((p) => [p.magic, p.length, p.offset, p.frames, p.payload.toString('hex')]));
      expect(placed.skipped, `size ${size}`).toEqual(views.skipped);
      expect(views.packets.length).toBeGreaterThan(3);
      expect(views.skipped.map((k) => k.reason)).toEqual(['mid-stream-start', 'gap']);
    }
  });

  it('frames come out ascending and once each when the chunks came in out of order (reassembled data from reversed segments)', () => {
    // A packet and a run of bytes skipped to resynchronise, each chunk of one byte with a frame
    // number that goes down: each list must be put in order (once: it was kept ordered at every
    // chunk, quadratic on 100,000 reversed segments).
    const c = collect('web-server', false);
    const junk = Buffer.alloc(40, 0x41);
    const data = Buffer.concat([junk, CPING]);
    for (let o = 0; o < data.length; o++) c.r.push({ data: data.subarray(o, o + 1), frames: [1000 - o], ts: o, offset: o });
    c.r.push({ data: CPING, frames: [1000 - data.length], ts: 99, offset: data.length });
    expect(c.skipped).toHaveLength(1);
    const sk = c.skipped[0]!.frames;
    expect(sk).toEqual([...sk].sort((a, b) => a - b));
    expect(new Set(sk).size).toBe(sk.length);
    expect(sk).toEqual(Array.from({ length: 40 }, (_, i) => 961 + i));
    const p = c.packets[0]!;
    expect(p.frames).toEqual([956, 957, 958, 959, 960]);
  });

  it('a packet inside one chunk is a view, not a copy', () => {
    const seen: Buffer[] = [];
    const r = new PacketReader('container', { packet: (p) => seen.push(p.payload), skipped: () => {} });
    const data = Buffer.concat([sendHeaders(200, 'OK'), GBC_8186]);
    r.push({ data, frames: [9], ts: 0, offset: 0 });
    expect(seen[0]!.buffer).toBe(data.buffer);
  });

  it('a gap cuts the packet in progress short and resynchronises on the next plausible header', () => {
    const c = collect('container');
    const big = sendBodyChunk(Buffer.alloc(3000, 0x41)); // "AAAA…" inside: magic-looking bytes must not fool it
    c.r.push({ data: big.subarray(0, 1000), frames: [1], ts: 0, offset: 0 });
    c.r.push({ data: Buffer.concat([big.subarray(1500), sendHeaders(200, '200')]), frames: [3], ts: 0, offset: 1500 });
    expect(c.packets.map((p) => [p.truncated ?? false, p.length])).toEqual([[true, 3004], [false, sendHeaders(200, '200').length - 4]]);
    expect(c.skipped).toEqual([{ bytes: big.length - 1500, frames: [3], ts: 0, offset: 1500, reason: 'gap' }]);
  });

  it('a bad magic becomes one packet, then the reader looks for the next header', () => {
    const c = collect('container');
    c.r.push({ data: Buffer.concat([Buffer.from('HTTP/1.1 400 \r\n\r\n'), hex('41 42 00 01 09')]), frames: [4], ts: 0, offset: 0 });
    expect(c.packets[0]!.magic).toBe(0x4854);
    // Everything left in the chunk went into the bad run; nothing after it is invented.
    expect(c.packets).toHaveLength(1);
    c.r.push({ data: hex('41 42 00 01 09'), frames: [5], ts: 0, offset: 22 });
    expect(c.packets.map((p) => p.magic)).toEqual([0x4854, 0x4142]);
  });

  it('the end of the stream reports a partial packet as cut short', () => {
    const c = collect('web-server');
    c.r.push({ data: forwardRequest().subarray(0, 10), frames: [2], ts: 0, offset: 0 });
    c.r.end();
    expect(c.packets).toHaveLength(1);
    expect(c.packets[0]!.truncated).toBe(true);
  });
});

describe('PacketReader: body chunks across segments are counted, not kept', () => {
  /** The container packets a reader hands over for `bytes` cut every `size` bytes, decoded; and the most it kept at once. */
  function decoded(bytes: Buffer, size: number, end: 'close' | 'open' | 'none' = 'none') {
    const msgs: unknown[] = [];
    const r = new PacketReader('container', { packet: (p) => msgs.push(decodePacket(p, 'container')), skipped: () => {} });
    let most = 0;
    let frame = 1;
    for (let o = 0; o < bytes.length; o += size) {
      r.push({ data: bytes.subarray(o, o + size), frames: [frame++], ts: frame, offset: o });
      most = Math.max(most, (r as unknown as { k: { buf: Buffer } | null }).k?.buf.length ?? 0);
    }
    if (end !== 'none') r.end(end === 'close');
    return { msgs, most };
  }
  /** A message without where and when it came (the segments differ by design). */
  const bare = (m: unknown): unknown => ({ ...(m as object), frames: [], ts: 0 });
  const packet = (payload: Buffer): Buffer => Buffer.concat([hex('41 42'), Buffer.from([payload.length >> 8, payload.length & 0xff]), payload]);
  const data = Buffer.alloc(8000, 0x41); // "AAAA": magic-looking bytes inside the data
  const shapes: Array<[string, Buffer]> = [
    ['with its NUL', sendBodyChunk(data)],
    ['without the NUL', packet(Buffer.concat([hex('03 1F 40'), data]))],
    ['with bytes after the NUL', packet(Buffer.concat([hex('03 1F 40'), data, hex('00 01 02')]))],
    ['a chunk length past its end', packet(Buffer.concat([hex('03 FF FF'), data]))],
    ['then headers (not a body chunk, kept whole)', Buffer.concat([sendBodyChunk(data), sendHeaders(200, 'x'.repeat(1000)), sendBodyChunk('end')])],
  ];
  for (const [name, bytes] of shapes) {
    it(`decodes the same whatever the segments: ${name}`, () => {
      const whole = decoded(bytes, bytes.length);
      for (const size of [1, 5, 7, 8, 1448]) {
        const split = decoded(bytes, size);
        expect(split.msgs.map(bare)).toEqual(whole.msgs.map(bare));
      }
      // A body chunk's data is never gathered: the reader keeps its head and what follows the data.
      if (!name.startsWith('then')) expect(decoded(bytes, 1448).most).toBeLessThan(64);
    });
  }

  it('a body chunk cut by the close or the end of the capture says how much of it came', () => {
    const bytes = sendBodyChunk(data);
    for (const cut of [3, 6, 7, 8, 100, 5000, bytes.length - 1]) {
      for (const end of ['close', 'open'] as const) {
        const split = decoded(bytes.subarray(0, cut), 1000, end);
        const kept = decoded(bytes.subarray(0, cut), cut, end); // one chunk: kept whole, as before
        expect(split.msgs.map(bare)).toEqual(kept.msgs.map(bare));
      }
    }
    const cutByClose = decoded(bytes.subarray(0, 5000), 1000, 'close').msgs[0] as { type: string; incomplete?: { received: number } };
    expect([cutByClose.type, cutByClose.incomplete?.received]).toEqual(['SEND_BODY_CHUNK', 4993]);
  });
});
