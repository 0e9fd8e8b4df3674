import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'httpd-shm-failure';

describe(ID, () => {
  it('finds it, first: blog-aii3-sas-webserver-slotmem-shm-permission (real error_log lines, as published)', () => {
    const r = run(paste('blog-aii3-sas-webserver-slotmem-shm-permission'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    const f = r.findings[0]!;
    expect(f.severity).toBe('error');
    expect(f.explanation).toMatch(/permission denied \(errno 13\)/);
    expect(f.subject?.file).toMatch(/slotmem-shm-pd6e6e57c_0\.shm$/);
  });
  it("mod_proxy_balancer's own AH01179 line, with its status (constructed from mod_proxy_balancer.c balancer_post_config)", () => {
    const r = run({ path: 'error_log', text: '[Mon May 04 16:53:44.205 2026] [proxy_balancer:emerg] [pid 1234:tid 1234] (2)No such file or directory: AH01179: balancer slotmem_create failed\n' });
    expect(r.get(ID)?.explanation).toMatch(/errno 2/);
  });
  it('stays quiet on the samples and on jk-shm-selinux-errno13 (mod_jk\'s own shm is jk-shm-failure)', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
    expect(run(paste('jk-shm-selinux-errno13')).ids).not.toContain(ID);
  });
});
