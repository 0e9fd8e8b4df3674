import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'firewall-idle-drop';

describe(ID, () => {
  it("finds it: samples/firewall-idle-drop error_log (mod_proxy_ajp, one CPing timeout)", () => {
    const r = run(sample('firewall-idle-drop', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00897"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/firewall-idle-drop, info-level mod_jk log (3 pooled CPings time out, a new connection works)", () => {
    const r = run(sample('firewall-idle-drop', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("cping (3)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: keep-alive CPing failures and a CPing timeout after 88 idle minutes (constructed from the 1.2.48 formats)", () => {
    const r = run(fx('constructed/firewall-idle-drop.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("keepalive cping/cpong failure (errno=110)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/overload (new connections fail too)", () => {
    expect(run(sample('overload')).ids).not.toContain(ID);
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
