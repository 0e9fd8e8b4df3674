import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'ghostcat-probe';

describe(ID, () => {
  it("finds it: samples/ghostcat-probe catalina.out (Tomcat 10.1, raw AJP client)", () => {
    const r = run(sample('ghostcat-probe', ['catalina.out']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("javax.servlet.include.request_uri"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: javax.servlet.include.request_uri rejected (constructed from ajpprocessor.unknownAttribute)", () => {
    const r = run(fx('constructed/ghostcat-probe.catalina.out'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("javax.servlet.include.request_uri"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on an ordinary unknown attribute", () => {
    expect(run(fx('constructed/unknown-request-attribute-rejected.catalina.out')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
