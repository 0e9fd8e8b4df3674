import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'firewall-idle-drop';

describe(ID, () => {
  it("finds it: keep-alive CPing failures and a CPing timeout after 88 idle minutes (constructed from the 1.2.48 formats)", () => {
    const r = run(fx('constructed/firewall-idle-drop.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("keepalive cping/cpong failure (errno=110)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (refusals: the backend itself)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on a burst of CPing timeouts on one member (GC-pause shape)", () => {
    expect(run(fx('constructed/jvm-gc-pause.log')).ids).not.toContain(ID);
  });
});
