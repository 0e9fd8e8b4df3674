import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'lb-all-members-failed';

describe(ID, () => {
  it("finds it: real-log-excerpts E18 (mod_jk 1.2.28)", () => {
    const r = run(fx('excerpts/E18.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    // a consequence: the workers file that was not read (jk-config-unknown-worker) is the cause, listed first
    expect(f!.severity).toBe('info');
    expect(f!.causedBy).toBe('jk-config-unknown-worker');
    expect(r.findings[0].id).toBe('jk-config-unknown-worker');
    expect(evidenceText(f).some((t) => t.includes("All tomcat instances failed, no more workers left"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E06 (httpd balancer)", () => {
    const r = run(fx('excerpts/E06.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(f!.causedBy).toBe('backend-thread-exhaustion');
    expect(evidenceText(f).some((t) => t.includes("All workers are in error state"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/backend-down (single member lb)", () => {
    const r = run(sample('backend-down'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(f!.causedBy).toBe('backend-down-or-wrong-port');
    expect(f!.notes?.some((n) => /consequence of backend-down-or-wrong-port/.test(n))).toBe(true);
    expect(evidenceText(f).some((t) => t.includes("All tomcat instances"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("alone (the only line pasted) it stays an error: nothing else says why", () => {
    const r = run({ path: 'paste', text: '[Tue Mar 27 19:56:36 2012] [8923:3458201408] [error] service::jk_lb_worker.c (1469): All tomcat instances failed, no more workers left\n' });
    expect(r.get(ID)?.severity).toBe('error');
    expect(r.get(ID)?.causedBy).toBeUndefined();
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08 (no lb)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});
