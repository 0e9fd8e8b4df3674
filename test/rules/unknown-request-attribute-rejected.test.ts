import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'unknown-request-attribute-rejected';

describe(ID, () => {
  it("finds it: Tomcat 9.0.36+ rejection (constructed from LocalStrings ajpprocessor.unknownAttribute)", () => {
    const r = run(fx('constructed/unknown-request-attribute-rejected.catalina.out'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("MY_SSO_USER"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on Ghostcat include attributes belong to ghostcat-probe", () => {
    expect(run(fx('constructed/ghostcat-probe.catalina.out')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
