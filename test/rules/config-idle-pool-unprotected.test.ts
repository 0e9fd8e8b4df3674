import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-idle-pool-unprotected', () => {
  it('a remote mod_jk worker with neither connection_pool_timeout nor socket_keepalive', () => {
    const f = auditConfig({ '/c/workers.properties': 'worker.list=w\nworker.w.host=10.1.2.3\nworker.w.port=8009\n' }).find((x) => x.id === 'config-idle-pool-unprotected');
    expect(f?.subject).toMatchObject({ backend: '10.1.2.3:8009', worker: 'w' });
    expect(f?.remedy).toContain('worker.w.connection_pool_timeout=600');
  });
  it('a remote ProxyPass without ttl / keepalive', () => {
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://app.internal:8009/x\n' }).map((x) => x.id)).toContain('config-idle-pool-unprotected');
  });
  it('quiet on loopback, with either protection, or with JkOptions +DisableReuse', () => {
    for (const w of ['worker.w.host=localhost', 'worker.w.host=10.1.2.3\nworker.w.socket_keepalive=true', 'worker.w.host=10.1.2.3\nworker.w.connection_pool_timeout=600'])
      expect(auditConfig({ '/c/workers.properties': `worker.list=w\n${w}\n` }).map((x) => x.id), w).not.toContain('config-idle-pool-unprotected');
    expect(auditConfig({ '/c/workers.properties': 'worker.list=w\nworker.w.host=10.1.2.3\n', '/c/httpd.conf': 'JkOptions +ForwardKeySize +DisableReuse\n' }).map((x) => x.id)).not.toContain('config-idle-pool-unprotected');
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://app:8009/x ttl=300 keepalive=On\n' }).map((x) => x.id)).not.toContain('config-idle-pool-unprotected');
  });
});
