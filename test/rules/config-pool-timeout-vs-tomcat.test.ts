import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const tc = (a: string): string => `<Server><Service><Connector protocol="AJP/1.3" port="8009" address="127.0.0.1" secret="s" ${a}/></Service></Server>`;

describe('config-pool-timeout-vs-tomcat', () => {
  it('Tomcat closing idle connections after 300 s while mod_jk keeps them for ever (seconds vs milliseconds)', () => {
    const f = auditConfig({ '/c/workers.properties': 'worker.list=w\nworker.w.port=8009\nworker.w.secret=s\n', '/c/server.xml': tc('connectionTimeout="300000"') }).find((x) => x.id === 'config-pool-timeout-vs-tomcat');
    expect(f?.severity).toBe('warning');
    expect(f?.explanation).toMatch(/after 300 s .*for ever/);
    expect(f?.remedy).toContain('worker.w.connection_pool_timeout=240');
  });
  it('keepAliveTimeout wins over connectionTimeout; the HowTo pair 600 / 600000 is fine; pool longer than Tomcat is not', () => {
    const w = (v: number): string => `worker.list=w\nworker.w.port=8009\nworker.w.secret=s\nworker.w.connection_pool_timeout=${v}\n`;
    expect(auditConfig({ '/c/w.properties': w(600), '/c/server.xml': tc('connectionTimeout="20000" keepAliveTimeout="600000"') }).map((x) => x.id)).not.toContain('config-pool-timeout-vs-tomcat');
    expect(auditConfig({ '/c/w.properties': w(900), '/c/server.xml': tc('keepAliveTimeout="600000"') }).map((x) => x.id)).toContain('config-pool-timeout-vs-tomcat');
  });
  it('mod_proxy_ajp ttl=; ping= turns it into info', () => {
    const f = auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x secret=s ping=5\n', '/c/server.xml': tc('keepAliveTimeout="60000"') }).find((x) => x.id === 'config-pool-timeout-vs-tomcat');
    expect(f?.severity).toBe('info');
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x secret=s ttl=50\n', '/c/server.xml': tc('keepAliveTimeout="60000"') }).map((x) => x.id)).not.toContain('config-pool-timeout-vs-tomcat');
  });
  it('the AJP default (no timeout) never closes first', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.port=8009\n', '/c/server.xml': tc('') }).map((x) => x.id)).not.toContain('config-pool-timeout-vs-tomcat');
  });
});
