import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'jk-shm-failure';

describe(ID, () => {
  it('finds it, first: jk-shm-selinux-errno13 (real paste, as published)', () => {
    const r = run(paste('jk-shm-selinux-errno13'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on jk-2005-debug-startup-healthy', () => {
    expect(run(paste('jk-2005-debug-startup-healthy')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});

describe(`${ID}: errno`, () => {
  it('errno 13 is read as a permission / SELinux problem, with the file', () => {
    const f = run(paste('jk-shm-selinux-errno13')).get(ID)!;
    expect(f.explanation).toMatch(/permission denied \(errno 13\).*SELinux/);
    expect(f.subject).toEqual({ file: '/etc/httpd/logs/mod_jk.shm.2237' });
  });
  it('mod_jk 1.2.19 `Attachning shm` (typo of 1.2.9–1.2.19) is read too (constructed from mod_jk.c jk_child_init)', () => {
    const r = run({ path: 'error_log', text: '[Mon Jan 08 10:00:00 2007] [error] Attachning shm:/var/log/httpd/jk-runtime-status errno=2\n' });
    expect(r.get(ID)?.explanation).toMatch(/errno 2/);
  });
});
