import { describe, expect, it } from 'vitest';
import { run, sample } from './harness.js';
import { diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';

const ID = 'mcmp-node-removed';

describe(ID, () => {
  it("finds the operator's REMOVE-APP /* of the running node1 (real capture), not node2's own shutdown", async () => {
    const r = diagnoseWith(await mcmpSampleEvidence());
    const fs = r.all(ID);
    expect(fs.map((f) => f.subject?.node), r.ids.join(', ')).toEqual(['node1']);
    const f = fs[0]!;
    expect(f.confidence).toBe('confirmed');
    // Sent from the operator tool on 127.0.0.3, then NOTOK and MEM for node1.
    expect(f.explanation).toMatch(/REMOVE-APP \/\* from 127\.0\.0\.3:\d+/);
    expect(f.explanation).toMatch(/State=NOTOK/);
    expect(f.evidence.some((e) => e.source === 'capture' && e.kind === 'mcmp-node-unknown' && e.frames.includes(652))).toBe(true);
    expect(f.remedy).toMatch(/AllowCmd Off/);
  });
  it('finds it in the httpd error_log alone: REMOVED, then a probe of the removed node and MEM', () => {
    const r = run(sample('mcmp', ['error_log']));
    expect(r.get(ID), r.ids.join(', ')).toBeDefined();
    expect(r.get(ID)!.confidence).toBe('likely');
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
