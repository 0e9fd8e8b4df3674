/**
 * Reads the tshark golden files (`*.tshark.tsv`, made by test/fixtures/captures/golden.sh) and
 * compares them with what capture/ + net/ produce for the same file.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { openCapture, type OpenCaptureOptions } from '../../src/capture/index.js';
import { decodeTcp, newNetCounters, type NetCounters, type Segment } from '../../src/net/index.js';

export interface TsharkRow {
  frame: number;
  time: number | undefined;
  len: number;
  capLen: number;
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  wscale?: number;
  tcpLen?: number;
  stream?: number;
}

const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

export function readGolden(path: string): TsharkRow[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return {
        frame: Number(f[0]),
        time: num(f[1]),
        len: Number(f[2]),
        capLen: Number(f[3]),
        src: f[4] || f[6] || '',
        dst: f[5] || f[7] || '',
        srcPort: num(f[8]),
        dstPort: num(f[9]),
        seq: num(f[10]),
        ack: num(f[11]),
        flags: f[12] ? parseInt(f[12], 16) : undefined,
        window: num(f[13]),
        wscale: num(f[14]),
        tcpLen: num(f[15]),
        stream: num(f[16]),
      };
    });
}

export interface Decoded {
  frame: number;
  ts: number;
  origLen: number;
  capLen: number;
  linkType: number;
  seg: Omit<Segment, 'payload'> & { payloadLen: number } | null;
}

export async function decodeFile(path: string, opts: OpenCaptureOptions = {}): Promise<{ rows: Decoded[]; counters: NetCounters; warnings: string[] }> {
  const reader = await openCapture(path, opts);
  const counters = newNetCounters();
  const rows: Decoded[] = [];
  await reader.read((p) => {
    const s = decodeTcp(p, counters);
    let seg: Decoded['seg'] = null;
    if (s) {
      const { payload, ...rest } = s;
      seg = { ...rest, payloadLen: payload.length };
    }
    rows.push({ frame: p.frame, ts: p.ts, origLen: p.origLen, capLen: p.data.length, linkType: p.linkType, seg });
  });
  return { rows, counters, warnings: reader.warnings.map((w) => w.code) };
}

/**
 * Every packet we read has tshark's frame number, length, time and (when tshark saw TCP) the same
 * TCP fields; every tshark frame we did not emit is listed in `nonPacketFrames`.
 */
export function expectSameAsTshark(ours: Decoded[], golden: TsharkRow[], nonPacketFrames: number[] = []): void {
  const byFrame = new Map(golden.map((r) => [r.frame, r]));
  const ourFrames = new Set(ours.map((r) => r.frame));
  expect(golden.filter((r) => !ourFrames.has(r.frame)).map((r) => r.frame)).toEqual(nonPacketFrames);
  for (const o of ours) {
    const g = byFrame.get(o.frame);
    expect(g, `frame ${o.frame} missing in tshark output`).toBeDefined();
    if (!g) continue;
    const where = `frame ${o.frame}`;
    expect(o.origLen, where).toBe(g.len);
    expect(o.capLen, where).toBe(g.capLen);
    if (g.time !== undefined) expect(Math.abs(o.ts - g.time), where).toBeLessThan(1e-6);
    if (g.srcPort === undefined) {
      expect(o.seg, where).toBeNull();
      continue;
    }
    expect(o.seg, where).not.toBeNull();
    const s = o.seg!;
    expect(
      {
        src: s.srcAddr,
        dst: s.dstAddr,
        srcPort: s.srcPort,
        dstPort: s.dstPort,
        seq: s.seq,
        ack: s.ack,
        flags: s.flags,
        window: s.window,
        wscale: s.windowScale,
        tcpLen: s.payloadLenOnWire,
      },
      where,
    ).toEqual({
      src: g.src,
      dst: g.dst,
      srcPort: g.srcPort,
      dstPort: g.dstPort,
      seq: g.seq,
      ack: g.ack,
      flags: (g.flags ?? 0) & 0xff,
      window: g.window,
      wscale: g.wscale,
      tcpLen: g.tcpLen,
    });
    // The captured part of the payload: all of it unless the snaplen cut the frame.
    expect(s.payloadLen, where).toBe(Math.min(g.tcpLen ?? 0, Math.max(0, s.payloadLen)));
  }
}
