import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'localhost-address-family-mismatch';

describe(ID, () => {
  it("finds it: httpd refused on [::1] while Tomcat binds 127.0.0.1 (constructed; Tomcat line as in E22)", () => {
    const r = run([fx('constructed/localhost-address-family-mismatch.error_log'), fx('constructed/localhost-address-family-mismatch.catalina.out')]);
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("[::1]:8009"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E08 (127.0.0.1 refused, no Tomcat evidence)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (same family on both sides)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
});
