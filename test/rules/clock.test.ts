import { describe, expect, it } from 'vitest';
import { alignClocks } from '../../src/rules/clock.js';

// Times as a run gives them: request instants on the wire, and log lines a few ms after each.
const t0 = Date.UTC(2026, 10, 21, 11, 0, 0);
const wire = [0, 480, 1300, 2750, 4100, 5020, 7700, 9000].map((d) => t0 + d);
const logs = (shift: number) => wire.flatMap((w) => [w + 2 + shift, w + 5 + shift]);

describe('alignClocks', () => {
  it('clocks that agree: offset near 0, applied, no warning', () => {
    const c = alignClocks(logs(0), wire)!;
    expect(Math.abs(c.offsetMs)).toBeLessThan(10);
    expect(c.applied).toBe(true);
    expect(c.warnings).toEqual([]);
  });
  it('a log written in another zone: a whole number of hours, applied, with a --log-tz warning', () => {
    const c = alignClocks(logs(-2 * 3600_000), wire)!;
    expect(Math.round(c.offsetMs / 60000)).toBe(120);
    expect(c.applied).toBe(true);
    expect(c.warnings.join()).toMatch(/2 h behind .*--log-tz/);
  });
  it('a skewed host clock of a few seconds: estimated and applied', () => {
    const c = alignClocks(logs(3400), wire)!;
    expect(Math.round(c.offsetMs / 100)).toBe(-34);
    expect(c.applied).toBe(true);
  });
  it('logs of another time: no overlap is a warning and nothing is applied', () => {
    const c = alignClocks(logs(0).map((t) => t + 37 * 60_000 + 1234), wire)!;
    expect(c.applied).toBe(false);
    expect(c.warnings.join()).toMatch(/do not overlap in time/);
  });
  it('one side empty: nothing to align', () => {
    expect(alignClocks([], wire)).toBeUndefined();
  });
});
