import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'client-abort-upload';

describe(ID, () => {
  it("finds it: samples/client-abort, info-level mod_jk log", () => {
    const r = run(sample('client-abort', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("Reading from client aborted"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: the seed case: inferred from the stale GET_BODY_CHUNK (seeds/000)", () => {
    const r = run(fx('seed-000-isapi-1.2.28.txt'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("received 6 instead"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("mod_jk 1.2.8–1.2.18's bare 'Connection aborted or network problems', told by its source line (1415: the read of the request body), with the summary after it (constructed from jk_ajp_common.c 1.2.15/1.2.16)", () => {
    const r = run({
      path: 'mod_jk.log',
      text:
        '[Wed Nov 09 09:12:09 2005] [info]  ajp_process_callback::jk_ajp_common.c (1415): Connection aborted or network problems\n' +
        '[Wed Nov 09 09:12:09 2005] [info]  ajp_service::jk_ajp_common.c (1712): Receiving from tomcat failed, because of client error without recovery in send loop 0\n',
    });
    expect(r.ids).toContain('client-abort-upload');
    expect(r.ids).not.toContain('client-abort-download');
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E01, \"received 3\" only", () => {
    expect(run(fx('excerpts/E01-2.log')).ids).not.toContain(ID);
  });
});
