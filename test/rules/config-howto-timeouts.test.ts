import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-howto-timeouts', () => {
  it('an ajp13 worker without ping_mode and socket_connect_timeout (info)', () => {
    const f = auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.port=8009\n' }).find((x) => x.id === 'config-howto-timeouts');
    expect(f?.severity).toBe('info');
    expect(f?.remedy).toContain('worker.w.ping_mode=A');
    expect(f?.remedy).toContain('worker.w.socket_connect_timeout=5000');
  });
  it('connection_pool_size above 1 with the prefork MPM is a warning', () => {
    const f = auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.ping_mode=A\nworker.w.socket_connect_timeout=5000\nworker.w.connection_pool_size=10\n', '/c/httpd.conf': 'LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\nJkMount /* w\n' }).find((x) => x.id === 'config-howto-timeouts');
    expect(f?.severity).toBe('warning');
  });
  it('the older connect_timeout / prepost_timeout pair counts as CPing', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.connect_timeout=10000\nworker.w.prepost_timeout=10000\nworker.w.socket_connect_timeout=5000\n' }).map((x) => x.id)).not.toContain('config-howto-timeouts');
  });
});
