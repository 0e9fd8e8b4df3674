import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-header-exceeds-packet', () => {
  it('LimitRequestFieldSize 65536 with the default 8192-byte packet of a mod_jk worker and a ProxyPass', () => {
    const f = auditConfig({ '/c/httpd.conf': 'LimitRequestFieldSize 65536\nJkMount /app/* w\nProxyPass /x ajp://127.0.0.1:8009/x\n', '/c/w.properties': 'worker.list=w\nworker.w.port=8009\n' }).filter((x) => x.id === 'config-header-exceeds-packet');
    expect(f.map((x) => Object.keys(x.subject ?? {})[0]).sort()).toEqual(['proxy', 'worker']);
  });
  it('quiet with the default limit, or with packets raised to 65536', () => {
    expect(auditConfig({ '/c/httpd.conf': 'LimitRequestFieldSize 8190\nProxyPass /x ajp://h:8009/x\n' }).map((x) => x.id)).not.toContain('config-header-exceeds-packet');
    expect(auditConfig({ '/c/httpd.conf': 'LimitRequestFieldSize 32768\nProxyIOBufferSize 65536\nProxyPass /x ajp://h:8009/x\n' }).map((x) => x.id)).not.toContain('config-header-exceeds-packet');
  });
});
