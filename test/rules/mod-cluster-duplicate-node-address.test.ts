import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'mod-cluster-duplicate-node-address';

describe(ID, () => {
  it('finds it, first: mc-same-ajp-url-reslist-assertion (real paste, as published)', () => {
    const r = run(paste('mc-same-ajp-url-reslist-assertion'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on mc-siga-all-workers-error-state-pt', () => {
    expect(run(paste('mc-siga-all-workers-error-state-pt')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
