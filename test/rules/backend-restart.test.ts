import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'backend-restart';

describe(ID, () => {
  it("finds it: samples/backend-restart (info mod_jk log + catalina.out)", () => {
    const r = run(sample('backend-restart', ['mod_jk-info.log', 'catalina.out']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("errno=111"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/backend-down (Tomcat stopped and started again)", () => {
    const r = run(sample('backend-down'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("failed (errno=111)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E08 (Tomcat never started)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down without the Tomcat log (info level)", () => {
    expect(run(sample('backend-down', ['mod_jk-info.log'])).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
