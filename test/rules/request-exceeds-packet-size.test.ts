import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'request-exceeds-packet-size';

describe(ID, () => {
  it("finds it: samples/packet-size error_log (httpd AH00971/AH03229)", () => {
    const r = run(sample('packet-size', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("BufferOverflowException"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/packet-size, info-level mod_jk log", () => {
    const r = run(sample('packet-size', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("check max_packet_size"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: Cookie header does not fit (constructed from the 1.2.48 ajp_marshal_into_msgb format)", () => {
    const r = run(fx('constructed/request-exceeds-packet-size.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("for header 'Cookie'"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample (POSTs > 8 KB go as body chunks)", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
