/**
 * Capture detectors on the real fault captures in samples/: each scenario's README says what
 * happened on the wire; the evidence kinds the root-cause rules ask for must be found there, and
 * none on the healthy baseline.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectCaptureEvidence } from '../../src/detect/index.js';
import { AjpAnalyzer } from '../../src/timeline/index.js';
import { runCapture } from '../mcmp/run-capture.js';

async function kinds(name: string): Promise<Record<string, number>> {
  const a = new AjpAnalyzer({ ajpPorts: [18009] });
  await runCapture(new URL(`../../samples/${name}/capture.pcap`, import.meta.url).pathname, a);
  const out: Record<string, number> = {};
  for (const e of detectCaptureEvidence(a.result())) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}

const has = (name: string) => existsSync(new URL(`../../samples/${name}/capture.pcap`, import.meta.url).pathname);

describe('capture detectors on real captures', () => {
  it('baseline: nothing', async () => {
    expect(await kinds('baseline')).toEqual({});
  });

  it('secret-mismatch: one secret-rejected per 403 (14)', async () => {
    expect(await kinds('secret-mismatch')).toEqual({ 'secret-rejected': 14 });
  });

  it('client-abort: an aborted download and an aborted upload', async () => {
    const k = await kinds('client-abort');
    expect(k['client-abort-download']).toBeGreaterThan(0);
    expect(k['client-abort-upload']).toBeGreaterThan(0);
  });

  it.runIf(has('ghostcat-probe'))('ghostcat-probe: include attributes and an HTTP client on the AJP port', async () => {
    const k = await kinds('ghostcat-probe');
    expect(k['ghostcat-attribute']).toBeGreaterThan(0);
    expect(k['non-ajp-client']).toBe(1);
  });

  it.runIf(has('backend-down'))('backend-down: refused connections', async () => {
    expect((await kinds('backend-down'))['connect-refused']).toBeGreaterThan(0);
  });

  it.runIf(has('backend-restart'))('backend-restart: Tomcat closes the idle pooled connections', async () => {
    expect((await kinds('backend-restart'))['backend-idle-close']).toBeGreaterThan(0);
  });

  it.runIf(has('firewall-idle-drop'))('firewall-idle-drop: CPINGs after the idle period never answered', async () => {
    expect((await kinds('firewall-idle-drop'))['idle-connection-dropped']).toBeGreaterThan(0);
  });
});
