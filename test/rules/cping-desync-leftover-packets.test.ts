import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'cping-desync-leftover-packets';

describe(ID, () => {
  it("finds it: the seed case: ISAPI 1.2.28 \"received 6\" + 306 lingering bytes (seeds/000, Red Hat 25382)", () => {
    const r = run(fx('seed-000-isapi-1.2.28.txt'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("awaited reply cpong, received 6 instead"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E01, second quote (\"received 3\")", () => {
    const r = run(fx('excerpts/E01-2.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("received 3 instead"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample (debug and info logs)", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/client-abort: 1.2.48 closes aborted connections, no CPing desync", () => {
    expect(run(sample('client-abort')).ids).not.toContain(ID);
  });
});

describe(`${ID}: what it explains`, () => {
  it('the odd packet sizes read after the desync are listed under it, not as a packet-size cause of their own', () => {
    // the seed paste (ISAPI 1.2.28: "received 6 instead", then lingering bytes) followed by the
    // "wrong message size" line mod_jk's ajp_connection_tcp_get_message logs when it reads body bytes as a header
    const seed = fx('seed-000-isapi-1.2.28.txt');
    const last = seed.text.trimEnd().split('\n').pop()!;
    const stamp = /^\[[^\]]+\]/.exec(last)?.[0] ?? '[Thu Mar 09 16:41:25 2023]';
    const text = `${seed.text.trimEnd()}\n${stamp} [error] ajp_connection_tcp_get_message::jk_ajp_common.c (1296): wrong message size 20565 16384 from 10.0.0.5:8009\n`;
    const r = run({ path: seed.path, text });
    const mismatch = r.get('packet-size-mismatch');
    expect(mismatch, r.ids.join(', ')).toBeDefined();
    expect(mismatch!.causedBy).toBe(ID);
    expect(r.findings.indexOf(mismatch!)).toBeGreaterThan(r.findings.findIndex((f) => f.id === ID));
    expect(r.findings[0].id).toBe(ID);
  });
});
