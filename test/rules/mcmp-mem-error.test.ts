import { describe, expect, it } from 'vitest';
import { evidenceText, run, sample } from './harness.js';
import { diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';

const ID = 'mcmp-mem-error';

describe(ID, () => {
  it('finds it on the real capture: STATUS for node9 (never registered) and for node1 after it was removed', async () => {
    const r = diagnoseWith(await mcmpSampleEvidence());
    const f = r.all(ID)[0];
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('confirmed');
    expect(f!.severity).toBe('error');
    expect(f!.explanation).toMatch(/2 MCMP requests with 500 Type: MEM/);
    expect(f!.explanation).toMatch(/nodes node9 and node1/);
    const frames = f!.evidence.flatMap((e) => (e.source === 'capture' ? e.frames : []));
    expect(frames).toEqual(expect.arrayContaining([466, 470, 652, 654]));
    expect(f!.remedy).toMatch(/Maxnode/);
  });
  it('finds it in the httpd error_log alone', () => {
    const r = run(sample('mcmp', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(evidenceText(f).some((t) => t.includes('MEM: Can\'t read node with "node1" JVMRoute'))).toBe(true);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
