import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'slow-backend-reply-timeout';

describe(ID, () => {
  it("finds it: samples/reply-timeout, info-level mod_jk log", () => {
    const r = run(sample('reply-timeout', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("Timeout with waiting reply from tomcat"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E15 (Uyuni, AH00893 after ProxyTimeout)", () => {
    const r = run(fx('excerpts/E15.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00893"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: mod_jk reply_timeout (constructed from the 1.2.48 format)", () => {
    const r = run(fx('constructed/lb-error-escalation.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("Timeout with waiting reply from tomcat"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E05 (no header at all)", () => {
    expect(run(fx('excerpts/E05.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
