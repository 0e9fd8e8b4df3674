import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'lb-error-escalation';

describe(ID, () => {
  it("finds it: member in global error right after a reply timeout (constructed from the 1.2.48 formats)", () => {
    const r = run(fx('constructed/lb-error-escalation.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    // a consequence of the reply timeout, which comes first
    expect(f!.severity).toBe(f!.causedBy ? 'info' : 'warning');
    expect(f!.causedBy).toBe(r.findings[0].id);
    expect(evidenceText(f).some((t) => t.includes("is in error state"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/backend-down (member error after refused connects)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
