import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'content-length-without-body';

describe(ID, () => {
  it("uyuni-project/uyuni#3417 error_log: the AH00877 of the same pid and client as the failed exchange (AH00992, AH00878 120006) is its side effect; the PR's cause (Tomcat closing idle pooled connections) comes first", () => {
    const r = run(fx('published/uyuni-3417-error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('info');
    expect(f!.explanation).toMatch(/failed backend exchanges of the same httpd process/);
    expect(evidenceText(f).some((t) => t.includes("AH00877"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
    expect(r.findings[0]?.id).toBe('backend-idle-close-race');
  });
  it("a zero-byte body on another pid than the failed exchange stays the client's (the same lines, the AH00877 moved to pid 25958)", () => {
    const text = fx('published/uyuni-3417-error_log').text.replace(/\[pid 25957\] (\[client [^\]]+\] AH00877)/, '[pid 25958] $1');
    const f = run({ path: 'error_log', text }).get(ID);
    expect(f?.severity).toBe('warning');
    expect(f?.confidence).toBe('likely');
  });
  it("finds it: real-log-excerpts E15 (AH00877 in a timeout burst)", () => {
    const r = run(fx('excerpts/E15.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("read zero bytes"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
