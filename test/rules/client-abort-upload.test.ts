import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'client-abort-upload';

describe(ID, () => {
  it("finds it: samples/client-abort, info-level mod_jk log", () => {
    const r = run(sample('client-abort', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("Reading from client aborted"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: the seed case: inferred from the stale GET_BODY_CHUNK (seeds/000)", () => {
    const r = run(fx('seed-000-isapi-1.2.28.txt'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("received 6 instead"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E01, \"received 3\" only", () => {
    expect(run(fx('excerpts/E01-2.log')).ids).not.toContain(ID);
  });
});
