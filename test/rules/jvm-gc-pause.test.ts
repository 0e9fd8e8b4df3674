import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'jvm-gc-pause';

describe(ID, () => {
  it("finds it: 4 CPing timeouts on 4 sockets of one member within 1 s (constructed from the 1.2.48 format)", () => {
    const r = run(fx('constructed/jvm-gc-pause.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("timeout in reply cpong after 3000 ms"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/overload (a burst of CPing timeouts on new connections = no thread)", () => {
    expect(run(sample('overload')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (refusals)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on keep-alive failures spread over time", () => {
    expect(run(fx('constructed/firewall-idle-drop.log')).ids).not.toContain(ID);
  });
});
