import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-timeout-units', () => {
  it('milliseconds written for connection_pool_timeout / socket_timeout (seconds), seconds for socket_connect_timeout (ms)', () => {
    const f = auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.connection_pool_timeout=600000\nworker.w.socket_timeout=10000\nworker.w.socket_connect_timeout=5\n' }).filter((x) => x.id === 'config-timeout-units');
    expect(f.map((x) => x.remedy.split('\n')[0]).sort()).toEqual(['worker.w.connection_pool_timeout=600', 'worker.w.socket_connect_timeout=5000', 'worker.w.socket_timeout=10']);
    expect(f.find((x) => x.explanation.includes('connection_pool_timeout'))!.explanation).toContain('6.9 days');
  });
  it('Tomcat keepAliveTimeout="600" (seconds written for milliseconds)', () => {
    expect(auditConfig({ '/c/server.xml': '<Server><Service><Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" keepAliveTimeout="600"/></Service></Server>' }).find((x) => x.id === 'config-timeout-units')?.remedy).toContain('keepAliveTimeout="600000"');
  });
  it('the HowTo values are fine', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.connection_pool_timeout=600\nworker.w.socket_connect_timeout=5000\nworker.w.ping_timeout=10000\nworker.w.socket_timeout=60\n' }).map((x) => x.id)).not.toContain('config-timeout-units');
  });
});
