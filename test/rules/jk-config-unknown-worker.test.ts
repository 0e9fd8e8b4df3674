import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'jk-config-unknown-worker';

describe(ID, () => {
  it("finds it: real-log-excerpts E19 (sample status mounts only)", () => {
    const r = run(fx('excerpts/E19.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("Could not find worker with name 'jk-manager'"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E18 (with lb failures: workers file not read)", () => {
    const r = run(fx('excerpts/E18.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("'jk-status'"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});
