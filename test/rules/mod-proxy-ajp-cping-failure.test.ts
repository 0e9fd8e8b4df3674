import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'mod-proxy-ajp-cping-failure';

describe(ID, () => {
  it("finds it: samples/overload error_log", () => {
    const r = run(sample('overload', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH01012"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/proxy-ajp-faults error_log (httpd 2.4.71, ping=1, one busy Tomcat thread)", () => {
    const r = run(sample('proxy-ajp-faults', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00897"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: AH01030 (70007) + AH01012 + AH00897 (constructed from the 2.4 formats)", () => {
    const r = run(fx('constructed/mod-proxy-ajp-cping-failure.error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00897"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/firewall-idle-drop error_log (one CPing timeout, the retry worked)", () => {
    expect(run(sample('firewall-idle-drop', ['error_log'])).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample (mod_proxy_ajp at debug)", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
