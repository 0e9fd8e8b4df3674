import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'client-abort-download';

describe(ID, () => {
  it("finds it: samples/client-abort (mod_jk 1.2.48 debug log + httpd error_log)", () => {
    const r = run(sample('client-abort'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("Writing to client aborted"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/client-abort, info-level mod_jk log only", () => {
    const r = run(sample('client-abort', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("because of client write error"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on the seed case (upload side)", () => {
    expect(run(fx('seed-000-isapi-1.2.28.txt')).ids).not.toContain(ID);
  });
});
