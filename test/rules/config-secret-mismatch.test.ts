import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const tomcat = (attrs: string): string => `<Server><Service name="Catalina"><Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" ${attrs}/></Service></Server>`;

describe('config-secret-mismatch', () => {
  it('flags a worker without the secret Tomcat requires, and one with another secret, never printing the secrets', () => {
    const f = auditConfig({
      '/c/workers.properties': 'worker.list=a,b,c\nworker.a.port=8009\nworker.b.port=8009\nworker.b.secret=wrong\nworker.c.port=8009\nworker.c.secret=right\n',
      '/c/server.xml': tomcat('secretRequired="true" secret="right"'),
    }).filter((x) => x.id === 'config-secret-mismatch');
    expect(f.map((x) => x.subject?.worker).sort()).toEqual(['a', 'b']);
    expect(JSON.stringify(f)).not.toMatch(/wrong|right"/);
  });
  it('secretRequired="yes" without a secret starts: Tomcat reads it with Boolean.valueOf, false (IntrospectionUtils.setProperty)', () => {
    const f = auditConfig({ '/c/server.xml': tomcat('secretRequired="yes"') }).filter((x) => x.id === 'config-secret-mismatch');
    expect(f).toEqual([]);
    const t = auditConfig({ '/c/server.xml': tomcat('secretRequired="True"') }).filter((x) => x.id === 'config-secret-mismatch');
    expect(t.map((x) => x.confidence)).toEqual(['confirmed']);
  });
  it('flags ProxyPass without secret= and secretRequired="true" without a secret (connector does not start)', () => {
    const f = auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x\n', '/c/server.xml': tomcat('secretRequired="true"') }).filter((x) => x.id === 'config-secret-mismatch');
    expect(f.some((x) => /refuse to start/.test(x.explanation))).toBe(true);
  });
  it('reads the older requiredSecret, and is quiet when both sides agree', () => {
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x secret=k\n', '/c/server.xml': tomcat('requiredSecret="k"') }).map((x) => x.id)).not.toContain('config-secret-mismatch');
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x\n', '/c/server.xml': tomcat('requiredSecret="k"') }).map((x) => x.id)).toContain('config-secret-mismatch');
  });
});
