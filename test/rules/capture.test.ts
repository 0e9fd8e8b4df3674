/**
 * Rules consuming capture evidence by kind: the real sample captures go through the capture pipeline
 * (inspect → timeline → detect), then diagnose — alone and together with the same run's logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectCapture } from '../../src/inspect/index.js';
import { AjpCaptureAnalyzer } from '../../src/timeline/index.js';
import { detectCaptureEvidence } from '../../src/detect/index.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';
import { diagnose } from '../../src/rules/index.js';
import { parse, sample } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXPECTED = JSON.parse(readFileSync(`${ROOT}samples/expected-diagnoses.json`, 'utf8')) as Record<string, { must: string[]; may: string[] }>;

async function captureEvidence(scenario: string): Promise<CaptureEvidence[]> {
  const a = new AjpCaptureAnalyzer({ ajpPorts: [18009], packetSize: 8192 });
  await inspectCapture(`${ROOT}samples/${scenario}/capture.pcap`, { sinks: [a.sink] });
  return detectCaptureEvidence(a.result());
}

/** What the capture alone must show (ids with confidence `confirmed` unless in NOT_CONFIRMED). */
const CAPTURE_ONLY: Record<string, string[]> = {
  baseline: [],
  // Tomcat stopped and started again within the capture: refused connects, then served again.
  'backend-down': ['backend-down-or-wrong-port', 'backend-restart'],
  'secret-mismatch': ['ajp-secret-mismatch'],
  'ghostcat-probe': ['ghostcat-probe', 'http-client-on-ajp-port'],
  'firewall-idle-drop': ['firewall-idle-drop'],
};

describe('capture evidence', () => {
  for (const [scenario, ids] of Object.entries(CAPTURE_ONLY)) {
    it.skipIf(!existsSync(`${ROOT}samples/${scenario}/capture.pcap`))(`${scenario}: the capture alone confirms ${ids.join(' + ') || 'nothing'}`, async () => {
      const capture = await captureEvidence(scenario);
      const r = diagnose({ events: [], capture });
      expect(r.findings.map((f) => f.id).sort()).toEqual([...ids].sort());
      for (const f of r.findings) {
        // A restart is an inference from refused-then-served connections, not something one frame proves.
        if (f.id !== 'backend-restart') expect(f.confidence).toBe('confirmed');
        expect(f.evidence.some((e) => e.source === 'capture' && e.frames.length > 0)).toBe(true);
      }
    });
  }
  it('client-abort: the capture alone shows both aborts', async () => {
    const r = diagnose({ events: [], capture: await captureEvidence('client-abort') });
    expect(r.findings.map((f) => f.id).sort()).toEqual(['client-abort-download', 'client-abort-upload']);
  });
  it('a normal idle close by Tomcat is no finding by itself (packet-size capture)', async () => {
    const capture = await captureEvidence('packet-size');
    expect(capture.some((c) => c.kind === 'backend-idle-close')).toBe(true);
    // The capture's only findings are the oversized packets (packet-size-mismatch), none from the idle closes.
    const findings = diagnose({ events: [], capture }).findings;
    expect(findings.map((f) => f.id)).not.toContain('backend-idle-close-race');
    expect(findings.flatMap((f) => f.evidence).some((e) => e.source === 'capture' && e.kind === 'backend-idle-close')).toBe(false);
  });
  for (const scenario of ['backend-down', 'secret-mismatch', 'ghostcat-probe', 'firewall-idle-drop', 'client-abort']) {
    it(`${scenario}: logs + capture give the expected ids, now confirmed`, async () => {
      const { events, summaries } = parse(sample(scenario, ['mod_jk-info.log', 'error_log', 'catalina.out']));
      const r = diagnose({ events, summaries, capture: await captureEvidence(scenario) });
      const ids = r.findings.map((f) => f.id);
      for (const id of EXPECTED[scenario].must) expect(ids).toContain(id);
      expect(ids.filter((id) => !EXPECTED[scenario].must.includes(id) && !EXPECTED[scenario].may.includes(id))).toEqual([]);
      if (scenario !== 'client-abort') expect(r.findings.some((f) => f.confidence === 'confirmed')).toBe(true);
    });
  }
});
