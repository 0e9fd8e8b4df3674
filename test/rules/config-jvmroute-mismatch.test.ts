import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const lb = 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=node1,node2\nworker.node1.host=10.0.0.1\nworker.node2.host=10.0.0.2\n';
const server = (route: string): string => `<Server><Service name="Catalina"><Connector protocol="AJP/1.3" address="10.0.0.1" port="8009" secret="x"/><Engine name="Catalina" defaultHost="localhost"${route}/></Service></Server>`;

describe('config-jvmroute-mismatch', () => {
  it('a jvmRoute no member has', () => {
    const f = auditConfig({ '/c/w.properties': lb, '/c/server.xml': server(' jvmRoute="tomcat1"') }).find((x) => x.id === 'config-jvmroute-mismatch');
    expect(f?.explanation).toContain('jvmRoute="tomcat1"');
  });
  it('member route= and the member name both count; no jvmRoute at all is info', () => {
    expect(auditConfig({ '/c/w.properties': lb, '/c/server.xml': server(' jvmRoute="node1"') }).map((x) => x.id)).not.toContain('config-jvmroute-mismatch');
    expect(auditConfig({ '/c/w.properties': lb + 'worker.node2.route=t2\n', '/c/server.xml': server(' jvmRoute="t2"') }).map((x) => x.id)).not.toContain('config-jvmroute-mismatch');
    expect(auditConfig({ '/c/w.properties': lb, '/c/server.xml': server('') }).find((x) => x.id === 'config-jvmroute-mismatch')?.severity).toBe('info');
  });
  it('BalancerMember route= against a WildFly instance-id', () => {
    const f = auditConfig({
      '/c/httpd.conf': '<Proxy balancer://c>\n  BalancerMember ajp://10.0.0.1:8009 route=a\n</Proxy>\nProxyPass /app balancer://c/app\n',
      '/c/standalone.xml': '<server xmlns="urn:jboss:domain:20.0"><profile><subsystem xmlns="urn:jboss:domain:undertow:14.0" instance-id="b"><server name="default-server"><ajp-listener name="ajp" socket-binding="ajp"/></server></subsystem></profile></server>',
    }).find((x) => x.id === 'config-jvmroute-mismatch');
    expect(f?.explanation).toContain('instance-id="b"');
  });
});
