import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'packet-size-mismatch';

describe(ID, () => {
  it("finds it: samples/packet-size (mod_jk info log, error_log, catalina.out with \"[10,217]\")", () => {
    const r = run(sample('packet-size', ['mod_jk-info.log', 'error_log', 'catalina.out']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("wrong message size"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: \"wrong message size 16380 8192\" (constructed from the 1.2.48 format)", () => {
    const r = run(fx('constructed/packet-size-mismatch.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("wrong message size 16380 8192"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: Tomcat \"Header message of length [12000] \u2026 packetSize is only [8192]\" (constructed from ajpprocessor.header.tooLong)", () => {
    const r = run(fx('constructed/packet-size-mismatch.catalina.out'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("packetSize is only"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E12", () => {
    expect(run(fx('excerpts/E12.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
