import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'connect-timeout-unreachable';

describe(ID, () => {
  it("finds it: connect timed out, errno 115 (constructed from the 1.2.48 jk_connect.c format)", () => {
    const r = run(fx('constructed/connect-timeout-unreachable.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("failed (errno=115)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: httpd 2.4 (113)No route to host AH00957 (constructed)", () => {
    const r = run(fx('constructed/connect-timeout-unreachable.error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("(113)No route to host"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/overload (\"connecting to backend failed (errno=110)\" after a connect-CPing)", () => {
    expect(run(sample('overload')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08 (refused, not timed out)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
