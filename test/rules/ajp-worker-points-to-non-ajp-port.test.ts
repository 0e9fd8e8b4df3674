import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'ajp-worker-points-to-non-ajp-port';

describe(ID, () => {
  it("finds it: real-log-excerpts E12 (mod_jk 1.2.19 \u2192 Jetty HTTP port, 0x4854)", () => {
    const r = run(fx('excerpts/E12.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("wrong message format 0x4854"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});
