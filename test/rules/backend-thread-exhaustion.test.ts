import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'backend-thread-exhaustion';

describe(ID, () => {
  it("finds it: samples/proxy-ajp-faults error_log (repeated CPing timeouts)", () => {
    const r = run(sample('proxy-ajp-faults', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("AH00897"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/overload, info-level mod_jk log (connect-CPing timeouts)", () => {
    const r = run(sample('overload', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("cping/cpong after connecting to the backend server failed"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E05 (70007 read response failed, httpd 2.2)", () => {
    const r = run(fx('excerpts/E05.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("(70007)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E06 (70007 + all balancer workers in error)", () => {
    const r = run(fx('excerpts/E06.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("All workers are in error state"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E21 (SiteMinder mod_jk, no reply, no refusal)", () => {
    const r = run(fx('excerpts/E21.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("Tomcat is down or refused connection"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/backend-restart (connect-CPing timeouts while Tomcat starts)", () => {
    expect(run(sample('backend-restart')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E15 (timeout mid-exchange: slow backend)", () => {
    expect(run(fx('excerpts/E15.log')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E12 (protocol error explains the failures)", () => {
    expect(run(fx('excerpts/E12.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
