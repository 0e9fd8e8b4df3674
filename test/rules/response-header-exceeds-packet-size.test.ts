import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'response-header-exceeds-packet-size';

describe(ID, () => {
  it('finds it, first: r2g-boncode-lucee-response-header-88k-overflow (real paste, as published)', () => {
    const r = run(paste('r2g-boncode-lucee-response-header-88k-overflow'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on r2g-boncode-ie-authorization-header-8186', () => {
    expect(run(paste('r2g-boncode-ie-authorization-header-8186')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
