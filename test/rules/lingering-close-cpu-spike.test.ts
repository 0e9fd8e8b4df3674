import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'lingering-close-cpu-spike';

describe(ID, () => {
  it("finds it: mod_jk 1.2.31 draining for 30 s (constructed from the 1.2.31 jk_shutdown_socket format)", () => {
    const r = run(fx('constructed/lingering-close-cpu-spike.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("lingering bytes in 30 sec"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/client-abort: 1.2.48 drains in 0 s", () => {
    expect(run(sample('client-abort')).ids).not.toContain(ID);
  });
  it("stays quiet on the seed case (1.2.28, no drain time)", () => {
    expect(run(fx('seed-000-isapi-1.2.28.txt')).ids).not.toContain(ID);
  });
});
