import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'tomcat-ajp-hardening-defaults';

describe(ID, () => {
  it("finds it: real-log-excerpts E24 (Tomcat 8.5.51 secretRequired)", () => {
    const r = run(fx('excerpts/E24.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("Failed to start connector"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E22 (ajp-nio-127.0.0.1-8009)", () => {
    const r = run(fx('excerpts/E22.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("ajp-nio-127.0.0.1-8009"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/baseline: loopback bind with httpd on the same host is the working setup", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08 (no Tomcat log)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});
