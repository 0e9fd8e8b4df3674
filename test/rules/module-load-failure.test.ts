import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'module-load-failure';

describe(ID, () => {
  it('finds it, first: gh-chef-proxy-ajp-load-without-mod-proxy (real paste, as published)', () => {
    const r = run(paste('gh-chef-proxy-ajp-load-without-mod-proxy'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: mc-proxy-cluster-undefined-proxy-run-check-trans (real paste, as published)', () => {
    const r = run(paste('mc-proxy-cluster-undefined-proxy-run-check-trans'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: mc-slotmem-ap-unixd-config-httpd22 (real paste, as published)', () => {
    const r = run(paste('mc-slotmem-ap-unixd-config-httpd22'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: mc-slotmem-module-name-undefined-symbol (real paste, as published)', () => {
    const r = run(paste('mc-slotmem-module-name-undefined-symbol'));
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

describe(`${ID}: the explanation names why from the symbol`, () => {
  it('mod_proxy missing, httpd too old for mod_proxy_cluster 2.x, 2.2/2.4 API, wrong module name', () => {
    expect(run(paste('gh-chef-proxy-ajp-load-without-mod-proxy')).get(ID)!.explanation).toMatch(/needs mod_proxy, which is not loaded/);
    // cut before the symbol (a terminal's width): the generic reading
    const cut = 'Cannot load /usr/lib/apache2/modules/mod_proxy_ajp.so into server: /usr/lib/apache2/modules/mod_proxy_ajp.so: unde\n';
    expect(run({ path: 'stderr', text: cut }).get(ID)!.explanation).toMatch(/mod_proxy_ajp\.so: the module file could not be loaded/);
    expect(run(paste('mc-proxy-cluster-undefined-proxy-run-check-trans')).get(ID)!.explanation).toMatch(/2\.4\.47/);
    expect(run(paste('mc-slotmem-ap-unixd-config-httpd22')).get(ID)!.explanation).toMatch(/another httpd API/);
    expect(run(paste('mc-slotmem-module-name-undefined-symbol')).get(ID)!.explanation).toMatch(/cluster_slotmem_module/);
  });
  it('not for an undefined symbol of a module outside this field', () => {
    const r = run({ path: 'error_log', text: 'httpd: Syntax error on line 1 of /etc/httpd/conf.modules.d/00-php.conf: Cannot load modules/libphp7.so into server: /etc/httpd/modules/libphp7.so: undefined symbol: zend_foo\n' });
    expect(r.ids).not.toContain(ID);
  });
});
