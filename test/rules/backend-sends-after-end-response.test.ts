import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'backend-sends-after-end-response';

describe(ID, () => {
  it("finds it: regular \"received 3\" without client aborts (constructed from the 1.2.29\u20131.2.31 format, jk_ajp_common.c (906))", () => {
    const r = run(fx('constructed/backend-sends-after-end-response.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("received 3 instead. Closing connection"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on a single \"received 3\" (real-log-excerpts E01)", () => {
    expect(run(fx('excerpts/E01-2.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the seed case (GET_BODY_CHUNK, client abort)", () => {
    expect(run(fx('seed-000-isapi-1.2.28.txt')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
