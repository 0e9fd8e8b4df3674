/**
 * Golden tests against tshark: for every test/golden/*.tshark.json (made by scripts/tshark-golden.sh
 * from tshark 4.0 output, commands recorded in each file), run our pipeline on the capture and compare
 * packet count, TCP packet count, stream count (tcp.stream) and, per stream, packets, payload bytes
 * (sum of tcp.len) and frame bytes each way, and the frames Wireshark's sequence analysis flags as
 * retransmission / out-of-order / keep-alive; and the frame counts of `-z conv,tcp`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectCapture } from '../../src/inspect/index.js';
import { formatEndpoint } from '../../src/report/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

interface GoldenStream {
  stream: number;
  a: string;
  b: string;
  framesAB: number;
  framesBA: number;
  payloadAB: number;
  payloadBA: number;
  frameBytesAB: number;
  frameBytesBA: number;
  /** Frames with tcp.analysis.retransmission / out_of_order / keep_alive. */
  retransmissions: number;
  outOfOrder: number;
  keepAlives: number;
}
interface Golden {
  capture: string;
  sha256: string;
  packets: number;
  tcpPackets: number;
  tcpStreams: number;
  streams: GoldenStream[];
  conv: { a: string; b: string; framesAB: number; framesBA: number; start: number }[];
  tsharkMessage?: string;
}

const goldens = readdirSync(here)
  .filter((f) => f.endsWith('.tshark.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(here, f), 'utf8')) as Golden);

describe('agreement with tshark on real and built captures', () => {
  it('has golden files', () => {
    expect(goldens.length).toBeGreaterThan(5);
  });

  for (const g of goldens) {
    it(`${g.capture}: packets, streams and per-stream figures equal tshark's`, async () => {
      const path = join(root, g.capture);
      const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
      expect(sha, `${g.capture} changed since its golden file was made: run scripts/tshark-golden.sh ${g.capture}`).toBe(g.sha256);

      const run = await inspectCapture(path, { maxStreams: 1_000_000 });
      expect(run.packets).toBe(g.packets);
      expect(run.tcpPackets).toBe(g.tcpPackets);
      expect(run.tcpStreams).toBe(g.tcpStreams);
      if (g.tsharkMessage !== undefined) expect(run.warnings.map((w) => w.code)).toContain('truncated');

      const ours = new Map(run.streams.map((s) => [s.info.id, s]));
      for (const gs of g.streams) {
        const s = ours.get(gs.stream);
        expect(s, `stream ${gs.stream}`).toBeDefined();
        if (s === undefined) continue;
        const client = formatEndpoint(s.info.client);
        const server = formatEndpoint(s.info.server);
        expect([client, server].sort(), `stream ${gs.stream} endpoints`).toEqual([gs.a, gs.b].sort());
        const aIsClient = client === gs.a;
        const got: Record<string, number> = {
          framesAB: aIsClient ? s.packets.c2s : s.packets.s2c,
          framesBA: aIsClient ? s.packets.s2c : s.packets.c2s,
          payloadAB: aIsClient ? s.payloadBytes.c2s : s.payloadBytes.s2c,
          payloadBA: aIsClient ? s.payloadBytes.s2c : s.payloadBytes.c2s,
          frameBytesAB: aIsClient ? s.frameBytes.c2s : s.frameBytes.s2c,
          frameBytesBA: aIsClient ? s.frameBytes.s2c : s.frameBytes.c2s,
        };
        // Wireshark's sequence analysis flags and our TCP events count the same frames.
        got.retransmissions = s.counts.retransmission ?? 0;
        got.outOfOrder = s.counts['out-of-order'] ?? 0;
        got.keepAlives = s.counts['keep-alive'] ?? 0;
        expect({ stream: gs.stream, ...got }).toEqual({
          stream: gs.stream,
          framesAB: gs.framesAB,
          framesBA: gs.framesBA,
          payloadAB: gs.payloadAB,
          payloadBA: gs.payloadBA,
          frameBytesAB: gs.frameBytesAB,
          frameBytesBA: gs.frameBytesBA,
          retransmissions: gs.retransmissions,
          outOfOrder: gs.outOfOrder,
          keepAlives: gs.keepAlives,
        });
      }

      // -z conv,tcp: one row per stream; match by endpoints and relative start.
      const start = run.firstTs ?? 0;
      const plain = (e: string) => e.replace(/^\[(.*)\](:\d+)$/, '$1$2');
      for (const row of g.conv) {
        // Match by endpoints; when a 4-tuple was reused, by relative start too.
        const candidates = run.streams.filter((x) => {
          const eps = [plain(formatEndpoint(x.info.client)), plain(formatEndpoint(x.info.server))];
          return eps.includes(row.a) && eps.includes(row.b);
        });
        const s =
          candidates.length === 1 ? candidates[0] : candidates.find((x) => Math.abs(x.info.startTs - start - row.start) < 2e-6);
        expect(s, `conv row ${row.a} <-> ${row.b} at ${row.start}`).toBeDefined();
        if (s === undefined) continue;
        const aIsClient = plain(formatEndpoint(s.info.client)) === row.a;
        expect([aIsClient ? s.packets.c2s : s.packets.s2c, aIsClient ? s.packets.s2c : s.packets.c2s]).toEqual([row.framesAB, row.framesBA]);
      }
      expect(g.conv.length).toBe(g.tcpStreams);
    });
  }
});
