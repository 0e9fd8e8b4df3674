/** Lines built from the format strings of jk_ajp_common.c ajp_validate() / jk_ajp_pull() in the versions named (no published paste in the corpus). */
import { describe, expect, it } from 'vitest';
import { sample, run } from './harness.js';

const ID = 'jk-worker-host-unresolvable';

describe(ID, () => {
  it('1.2.28+ `worker %s can\'t resolve tomcat address %s` (constructed, mod_jk 1.2.48 layout)', () => {
    const r = run({ path: 'mod_jk.log', text: "[Sat Nov 21 10:00:00.123 2026] [1234:5678] [error] ajp_validate::jk_ajp_common.c (2907): worker node1 can't resolve tomcat address tomcat-app\n" });
    expect(r.findings[0]).toMatchObject({ id: ID, severity: 'error', subject: { host: 'tomcat-app' } });
    expect(r.findings[0].explanation).toMatch(/worker node1/);
  });
  it('1.2.9–1.2.27 `can\'t resolve tomcat address %s` and 1.2.28+ `Failed resolving address` (constructed)', () => {
    expect(run({ path: 'mod_jk.log', text: "[Mon Jan 08 10:00:00 2007] [1234:5678] [error] ajp_validate::jk_ajp_common.c (1605): can't resolve tomcat address app01\n" }).findings[0]?.id).toBe(ID);
    expect(run({ path: 'paste', text: "Failed resolving address 'app02:8009' for worker 'node2'.\n" }).findings[0]?.subject).toEqual({ host: 'app02:8009' });
  });
  it('stays quiet on the baseline and backend-down samples', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
});
