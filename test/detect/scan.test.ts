/**
 * detect/scan.ts: which addresses are port scanners (quiet connections to ten or more ports within
 * 10 s). The real scans are in test/fixtures/captures/third-party (third-party.test.ts); these are the
 * edges: a web server whose backends are all down, connections that carried bytes, a slow sweep.
 */
import { describe, expect, it } from 'vitest';
import { scanSources, SCAN_MIN_PORTS } from '../../src/detect/scan.js';
import type { StreamSummary } from '../../src/tcp/types.js';

function stream(id: number, client: string, port: number, ts: number, bytes = 0): StreamSummary {
  return {
    info: { id, client: { addr: client, port: 40000 + id }, server: { addr: '10.0.0.9', port }, roleFrom: 'handshake', firstFrame: id + 1, startTs: ts },
    packets: { c2s: 1, s2c: 1 },
    payloadBytes: { c2s: bytes, s2c: 0 },
    deliveredBytes: { c2s: bytes, s2c: 0 },
    frameBytes: { c2s: 0, s2c: 0 },
    gapBytes: { c2s: 0, s2c: 0 },
    lastTs: ts,
    lastFrame: id + 2,
    end: 'rst',
    midStream: false,
    counts: {},
  };
}

describe('scanSources', () => {
  it('ten quiet ports within a second: a scanner, with its port count', () => {
    const s = Array.from({ length: 21 }, (_, i) => stream(i, '10.0.0.66', 8000 + i, 100 + i * 0.01));
    expect([...scanSources(s)]).toEqual([['10.0.0.66', 21]]);
  });
  it('a web server refused on a few backend ports is not one', () => {
    const s = Array.from({ length: 40 }, (_, i) => stream(i, '10.0.0.1', 8009 + (i % 4), 100 + i * 0.1));
    expect(scanSources(s).size).toBe(0);
  });
  it('connections that carried bytes do not count, nor ports spread over minutes', () => {
    const busy = Array.from({ length: 12 }, (_, i) => stream(i, '10.0.0.2', 9000 + i, 100, 50));
    const slow = Array.from({ length: 12 }, (_, i) => stream(100 + i, '10.0.0.3', 9000 + i, 100 + i * 30));
    expect(scanSources([...busy, ...slow]).size).toBe(0);
    expect(SCAN_MIN_PORTS).toBe(10);
  });
});
