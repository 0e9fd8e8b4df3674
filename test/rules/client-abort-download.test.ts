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
  it("mod_jk 1.2.8–1.2.18's bare 'Connection aborted or network problems', told by its source line (1399: the write of a body chunk), with the summary after it (constructed from jk_ajp_common.c 1.2.15/1.2.16)", () => {
    const r = run({
      path: 'mod_jk.log',
      text:
        '[Wed Nov 09 09:12:09 2005] [info]  ajp_process_callback::jk_ajp_common.c (1399): Connection aborted or network problems\n' +
        '[Wed Nov 09 09:12:09 2005] [info]  ajp_service::jk_ajp_common.c (1712): Receiving from tomcat failed, because of client error without recovery in send loop 0\n',
    });
    expect(r.ids).toContain('client-abort-download');
    expect(r.ids).not.toContain('client-abort-upload');
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on the seed case (upload side)", () => {
    expect(run(fx('seed-000-isapi-1.2.28.txt')).ids).not.toContain(ID);
  });
});
