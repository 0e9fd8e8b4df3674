import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'http-client-on-ajp-port';

describe(ID, () => {
  it("finds it: samples/ghostcat-probe catalina.out (HTTP GET sent to the AJP port)", () => {
    const r = run(sample('ghostcat-probe', ['catalina.out']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("Invalid message received with signature"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: OpenAttestation/OpenAttestation#28 catalina.out (Tomcat 7, signature 18245 = \"GE\")", () => {
    const r = run(fx('published/openattestation-28-catalina.out'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("signature 18245"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/packet-size catalina.out (signature 514 = half-read FORWARD_REQUEST)", () => {
    expect(run(sample('packet-size', ['catalina.out'])).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on a Tomcat packetSize rejection", () => {
    expect(run(fx('constructed/packet-size-mismatch.catalina.out')).ids).not.toContain(ID);
  });
});
