import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const httpd = 'LoadModule mpm_event_module modules/mod_mpm_event.so\nServerLimit 4\nThreadsPerChild 25\nMaxRequestWorkers 100\nProxyPass /x ajp://127.0.0.1:8009/x secret=s\n';
const tc = (a: string): string => `<Server><Service><Executor name="pool" maxThreads="150"/><Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" secret="s" ${a}/></Service></Server>`;

describe('config-backend-threads', () => {
  it('100 httpd workers to 20 Tomcat threads: warning with both sides quoted', () => {
    const f = auditConfig({ '/c/httpd.conf': httpd, '/c/server.xml': tc('maxThreads="20"') }).find((x) => x.id === 'config-backend-threads');
    expect(f?.severity).toBe('warning');
    expect(f?.explanation).toContain('up to 100 requests');
  });
  it('a little short is info on NIO, a warning on the blocking AjpProtocol', () => {
    expect(auditConfig({ '/c/httpd.conf': httpd, '/c/server.xml': tc('maxThreads="80"') }).find((x) => x.id === 'config-backend-threads')?.severity).toBe('info');
    expect(auditConfig({ '/c/httpd.conf': httpd, '/c/server.xml': tc('maxThreads="80" protocol="org.apache.coyote.ajp.AjpProtocol"').replace('protocol="AJP/1.3" ', '') }).find((x) => x.id === 'config-backend-threads')?.severity).toBe('warning');
  });
  it('reads the Executor a connector names; the default 200 covers 100', () => {
    expect(auditConfig({ '/c/httpd.conf': httpd, '/c/server.xml': tc('executor="pool"') }).map((x) => x.id)).not.toContain('config-backend-threads');
    expect(auditConfig({ '/c/httpd.conf': httpd, '/c/server.xml': tc('') }).map((x) => x.id)).not.toContain('config-backend-threads');
  });
});
