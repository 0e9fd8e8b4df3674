/**
 * The TCP layer's hard cases on builder-made capture files, read through the whole pipeline
 * (capture → net → tcp). tshark's packet/stream/byte figures for the same files are checked by
 * test/golden/golden.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectCapture } from '../../src/inspect/index.js';
import { copyTcpEvent } from '../../src/tcp/index.js';
import type { StreamData, TcpEvent, TcpSink } from '../../src/tcp/index.js';
import { tcpCases } from './captures/cases.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'captures');

class Recorder implements TcpSink {
  chunks: StreamData[] = [];
  events: TcpEvent[] = [];
  onData(c: StreamData): void {
    // The table's StreamData object and its bytes are valid only during the call: a copy of each.
    this.chunks.push({ stream: c.stream, dir: c.dir, data: Buffer.from(c.data), frames: c.frames, ts: c.ts, offset: c.offset });
  }
  onEvent(e: TcpEvent): void {
    // The table's TcpEvent is refilled for every event: a copy of each.
    this.events.push(copyTcpEvent(e));
  }
  bytes(stream: number, d: 'c2s' | 's2c'): string {
    return Buffer.concat(this.chunks.filter((c) => c.stream === stream && c.dir === d).map((c) => c.data)).toString('latin1');
  }
}

describe('TCP scenarios on built captures', () => {
  for (const c of tcpCases) {
    it(`${c.file}`, async () => {
      const path = join(dir, c.file);
      const built = c.bytes();
      if (process.env.UPDATE_CAPTURES === '1' || !existsSync(path)) writeFileSync(path, built);
      expect(readFileSync(path).equals(built), `${c.file} differs from the builder: UPDATE_CAPTURES=1 to rewrite`).toBe(true);

      const r = new Recorder();
      const run = await inspectCapture(path, { sinks: [r] });
      const e = c.expect;
      expect(run.tcpStreams).toBe(e.streams);
      for (let id = 0; id < e.streams; id++) {
        if (e.c2s) expect(r.bytes(id, 'c2s'), `stream ${id} c2s`).toBe(e.c2s[id]);
        if (e.s2c) expect(r.bytes(id, 's2c'), `stream ${id} s2c`).toBe(e.s2c[id]);
        // Offsets are consecutive except across gaps.
        for (const d of ['c2s', 's2c'] as const) {
          const ch = r.chunks.filter((x) => x.stream === id && x.dir === d);
          for (let i = 1; i < ch.length; i++) expect(ch[i].offset).toBeGreaterThanOrEqual(ch[i - 1].offset + ch[i - 1].data.length);
        }
      }
      for (const [id, kinds] of Object.entries(e.events ?? {})) {
        for (const [kind, n] of Object.entries(kinds)) {
          expect(r.events.filter((x) => x.stream === Number(id) && x.kind === kind).length, `stream ${id} ${kind}`).toBe(n);
        }
      }
      const knownGaps = r.events.filter((x) => x.kind === 'gap' && x.value !== undefined).map((x) => x.value);
      expect(knownGaps).toEqual(e.gaps ?? []);
      expect(run.warnings.some((w) => w.code === 'truncated')).toBe(e.truncated ?? false);
    });
  }
});
