import { describe, expect, it } from 'vitest';
import { run, sample } from './harness.js';
import { diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';

const ID = 'mcmp-node-not-ok';

describe(ID, () => {
  it('finds both state changes of the real capture: node2 sent Load=-1, httpd answered NOTOK for the removed node1', async () => {
    const r = diagnoseWith(await mcmpSampleEvidence());
    const fs = r.all(ID);
    expect(fs.map((f) => f.subject?.node).sort(), r.ids.join(', ')).toEqual(['node1', 'node2']);
    const node2 = fs.find((f) => f.subject?.node === 'node2')!;
    expect(node2.confidence).toBe('confirmed');
    expect(node2.explanation).toMatch(/reported Load=-1/);
    expect(node2.evidence.some((e) => e.source === 'capture' && e.frames.join(' ') === '550 552 554')).toBe(true);
    const node1 = fs.find((f) => f.subject?.node === 'node1')!;
    expect(node1.explanation).toMatch(/State=NOTOK to 1 STATUS \/ PING because it had removed the node \(REMOVE-APP \/\*, exchange 38/);
    expect(node1.evidence.some((e) => e.source === 'capture' && e.frames.includes(617))).toBe(true);
  });
  it('finds it in the httpd error_log alone (STATUS … Load=-1, node marked for removal)', () => {
    const r = run(sample('mcmp', ['error_log']));
    expect(r.get(ID), r.ids.join(', ')).toBeDefined();
    expect(r.get(ID)!.confidence).toBe('likely');
    expect(r.get(ID)!.explanation).toMatch(/node2 reported Load=-1/);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
