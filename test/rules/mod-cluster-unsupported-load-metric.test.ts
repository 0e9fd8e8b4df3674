import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'mod-cluster-unsupported-load-metric';

describe(ID, () => {
  it('finds it, first: r2c-glenware-wildfly-windows-cpu-load-metric (real paste, as published)', () => {
    const r = run(paste('r2c-glenware-wildfly-windows-cpu-load-metric'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on mc-modcluster000042-info-null-6666', () => {
    expect(run(paste('mc-modcluster000042-info-null-6666')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
