import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'ajp-secret-mismatch';

describe(ID, () => {
  it("finds it: samples/secret-mismatch (debug: status = 403 before each reuse=0)", () => {
    const r = run(sample('secret-mismatch'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("Reuse is set to false"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/secret-mismatch, info-level log only", () => {
    const r = run(sample('secret-mismatch', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("Reuse is set to false"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/client-abort", () => {
    expect(run(sample('client-abort')).ids).not.toContain(ID);
  });
});
