import { describe, expect, it } from 'vitest';
import { evidenceText, fx, paste, sample, run } from './harness.js';

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
  it('AJPy#6 (Tomcat, fr): signatures 17439 and 11565 ("--") open no protocol a client speaks: possible, and a body out of step is named beside a foreign client', () => {
    // https://github.com/hypn0s/AJPy/issues/6: the AJP client sent a WAR upload's multipart body unframed.
    const r = run(paste('tc-gh-ajpy-6-large-war-upload-bad-signature'));
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f.confidence).toBe('possible');
    expect(f.explanation).toMatch(/out of step/);
    expect(f.explanation).toMatch(/multipart boundary/);
    expect(f.remedy).toMatch(/^Capture the AJP port/);
  });
  it('a GET read as a header among other bytes keeps the client reading (likely, no out-of-step reading)', () => {
    const r = run(fx('published/openattestation-28-catalina.out'));
    expect(r.get(ID)!.explanation).not.toMatch(/out of step/);
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
