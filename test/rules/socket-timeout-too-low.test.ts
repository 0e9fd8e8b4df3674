import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'socket-timeout-too-low';

describe(ID, () => {
  it("finds it: EAGAIN on a reply read with socket_timeout set (constructed from the 1.2.48 format)", () => {
    const r = run(fx('constructed/socket-timeout-too-low.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("(errno=11)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
});
