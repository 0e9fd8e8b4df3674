/**
 * The analysis seam (src/analyze): one pass, every registered vertical, and detection that does not
 * depend on what is kept for display (issue 10: detectors used to read the violation list capped at
 * 200 per connection / 10 000 in all, the cycles capped per connection and the connection list).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, verticals } from '../../src/analyze/index.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTS = [18009, 18010];

const key = (e: CaptureEvidence) => `${e.kind} ${e.stream} ${e.frames.join(',')} ${e.detail}`;

describe('analyzeCapture', () => {
  it('runs every registered vertical and gives each its section', async () => {
    const a = await analyzeCapture(`${ROOT}samples/mcmp/capture.pcap`, { ajpPorts: PORTS });
    expect(verticals.map((v) => v.name)).toEqual(['ajp', 'mcmp']);
    expect(a.sections.ajp.connections).toBeGreaterThan(0);
    expect(a.sections.mcmp.exchanges).toHaveLength(56);
    // Evidence of both verticals, in time order.
    expect(a.evidence.some((e) => e.kind.startsWith('mcmp-'))).toBe(true);
    expect(a.evidence.map((e) => e.ts)).toEqual([...a.evidence.map((e) => e.ts)].sort((x, y) => x - y));
  });

  for (const scenario of ['backend-restart', 'overload', 'packet-size', 'reply-timeout', 'client-abort', 'proxy-ajp-faults', 'firewall-idle-drop', 'secret-mismatch']) {
    it(`${scenario}: the same evidence with display caps of one violation, one connection and no kept cycles`, async () => {
      const src = `${ROOT}samples/${scenario}/capture.pcap`;
      const full = await analyzeCapture(src, { ajpPorts: PORTS });
      const capped = await analyzeCapture(src, { ajpPorts: PORTS, ajp: { violationLimit: 1, connectionLimit: 1, cycleLimit: 0, releasedCycleLimit: 0, requestLimit: 0 } });
      expect(full.evidence.length).toBeGreaterThan(0);
      // The display lists did shrink…
      expect(capped.sections.ajp.connectionList.length).toBeLessThanOrEqual(1);
      // …what was detected did not.
      expect(capped.evidence.map(key)).toEqual(full.evidence.map(key));
    });
  }

  it('says when connections were closed early because too many were open at once, with the stream count unchanged', async () => {
    const src = `${ROOT}samples/baseline/capture.pcap`;
    const full = await analyzeCapture(src, { ajpPorts: PORTS });
    const capped = await analyzeCapture(src, { ajpPorts: PORTS }, { maxOpenFlows: 2 });
    expect(full.run.evicted).toBeUndefined();
    expect(full.notices.some((n) => n.kind === 'connections-closed-early')).toBe(false);
    expect(capped.run.evicted?.flows).toBeGreaterThan(0);
    expect(capped.run.tcpStreams).toBe(full.run.tcpStreams);
    expect(capped.run.packets).toBe(full.run.packets);
    const notice = capped.notices.find((n) => n.kind === 'connections-closed-early');
    expect(notice?.text).toContain('more than 2 TCP connections were open at once');
    expect(capped.run.streams.some((s) => s.end === 'timeout')).toBe(true);
  });
});
