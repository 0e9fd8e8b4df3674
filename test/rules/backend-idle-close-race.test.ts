import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'backend-idle-close-race';

describe(ID, () => {
  it("finds it: real-log-excerpts E09 (1.2.25 \"all endpoints are disconnected\" + retry)", () => {
    const r = run(fx('excerpts/E09.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("all endpoints are disconnected"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: uyuni-project/uyuni#3417 error_log (120006 AH00878, Tomcat connectionTimeout 20 s)", () => {
    const r = run(fx('published/uyuni-3417-error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00878"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E03 (httpd 2.2, 120006)", () => {
    const r = run(fx('excerpts/E03.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("(120006)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (EOF during a stop is backend-restart)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E14 (resets, not EOF)", () => {
    expect(run(fx('excerpts/E14.log')).ids).not.toContain(ID);
  });
});
