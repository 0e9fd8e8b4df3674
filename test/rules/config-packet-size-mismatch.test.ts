import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const connector = (attrs: string): string => `<Server port="-1"><Service name="Catalina">\n  <Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" secret="s" ${attrs}/>\n  <Engine name="Catalina" defaultHost="localhost"/></Service></Server>\n`;

describe('config-packet-size-mismatch', () => {
  it('flags mod_jk max_packet_size bigger than Tomcat packetSize, with both lines', () => {
    const f = auditConfig({
      '/c/workers.properties': 'worker.list=app\nworker.app.host=127.0.0.1\nworker.app.port=8009\nworker.app.secret=s\nworker.app.max_packet_size=65536\n',
      '/c/server.xml': connector(''),
    }).filter((x) => x.id === 'config-packet-size-mismatch');
    expect(f).toHaveLength(1);
    expect(f[0]!.explanation).toContain('65536');
    expect(f[0]!.evidence.map((e) => `${'path' in e ? e.path : ''}:${'line' in e ? e.line : ''}`)).toContain('/c/workers.properties:5');
    expect(f[0]!.remedy).toContain('packetSize="65536"');
  });
  it('flags Tomcat packetSize bigger than ProxyIOBufferSize (mod_proxy_ajp)', () => {
    const f = auditConfig({ '/c/httpd.conf': 'ProxyPass /app ajp://127.0.0.1:8009/app secret=s\n', '/c/server.xml': connector('packetSize="65536"') });
    expect(f.map((x) => x.id)).toContain('config-packet-size-mismatch');
    expect(f.find((x) => x.id === 'config-packet-size-mismatch')!.remedy).toContain('ProxyIOBufferSize 65536');
  });
  it('rounds as the servers do: max_packet_size=65000 is 65536 (jk_get_max_packet_size), iobuffersize is per worker', () => {
    expect(
      auditConfig({
        '/c/workers.properties': 'worker.list=app\nworker.app.host=127.0.0.1\nworker.app.port=8009\nworker.app.secret=s\nworker.app.max_packet_size=65000\n',
        '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x iobuffersize=65536 secret=s\n',
        '/c/server.xml': connector('packetSize="65536"'),
      }).map((x) => x.id),
    ).not.toContain('config-packet-size-mismatch');
  });
  it('says nothing when a side uses a placeholder or the ports differ', () => {
    expect(auditConfig({ '/c/workers.properties': 'worker.list=a\nworker.a.port=8010\nworker.a.max_packet_size=65536\n', '/c/server.xml': connector('') }).map((x) => x.id)).not.toContain('config-packet-size-mismatch');
    expect(auditConfig({ '/c/workers.properties': 'worker.list=a\nworker.a.port=8009\nworker.a.secret=s\n', '/c/server.xml': connector('packetSize="${ajp.packet}"') }).map((x) => x.id)).not.toContain('config-packet-size-mismatch');
  });
});
