import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'selinux-denies-connect';

describe(ID, () => {
  it("finds it: connect to port 8019 fails with errno 13 (constructed from the 1.2.48 format; case from root-causes #26)", () => {
    const r = run(fx('constructed/selinux-denies-connect.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("(errno=13)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E08 (errno 111)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});
