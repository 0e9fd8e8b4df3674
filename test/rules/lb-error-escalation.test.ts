import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'lb-error-escalation';

describe(ID, () => {
  it("finds it: member in global error right after a reply timeout (constructed from the 1.2.48 formats)", () => {
    const r = run(fx('constructed/lb-error-escalation.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    // a consequence of the reply timeout, which comes first
    expect(f!.severity).toBe(f!.causedBy ? 'info' : 'warning');
    expect(f!.causedBy).toBe(r.findings[0].id);
    expect(evidenceText(f).some((t) => t.includes("is in error state"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("httpd's balancer forcing a member into error for a failonstatus code (constructed from mod_proxy_balancer.c AH01174, 2.4.3+ and 2.4.1 wordings)", () => {
    for (const line of [
      "[Thu Jun 04 10:20:51.123456 2020] [proxy_balancer:error] [pid 1234:tid 139876] [client 1.2.3.4:5678] AH01174: balancer://mycluster: Forcing worker (ajp://10.0.0.5:8009) into error state due to status code 503 matching 'failonstatus' balancer parameter",
      '[Thu Jun 04 10:20:51 2020] [error] [client 1.2.3.4] AH01174: balancer://mycluster:  Forcing recovery for worker (ajp://10.0.0.5:8009), failonstatus 503',
    ]) {
      const f = run({ path: 'error_log', text: `${line}\n` }).get(ID);
      expect(f, line).toBeDefined();
      expect(f!.subject).toEqual({ member: 'ajp://10.0.0.5:8009' });
      expect(f!.explanation).toMatch(/answered 503, a status listed in failonstatus/);
      expect(f!.remedy).toMatch(/failonstatus=/);
    }
  });
  it("stays quiet on samples/backend-down (member error after refused connects)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
