import { describe, expect, it } from 'vitest';
import { ConfigError, detectConfigKind, parseProperties, parseWorkers, parseUriWorkerMap, parseXml, readConfigs, readHttpd, httpdMounts, httpdProxies, tomcatFacts, jbossFacts } from '../../src/config/index.js';
import { memFiles } from '../rules/config-harness.js';

describe('properties (java.util.Properties#load)', () => {
  it('continuations, separators, escapes, comments; the line of each key', () => {
    const e = parseProperties('# c\n! c2\nworker.list=a,\\\n    b\nkey\\ with\\ space : v\\tx\nuni=\\u0041\\\\n\n  other   value  \n');
    expect(e).toEqual([
      { key: 'worker.list', value: 'a,b', line: 3 },
      { key: 'key with space', value: 'v\tx', line: 5 },
      { key: 'uni', value: 'A\\n', line: 6 },
      { key: 'other', value: 'value', line: 7 },
    ]);
  });
});

describe('workers.properties (jk_map.c semantics)', () => {
  it('worker.list repeated is appended; other keys are replaced; reference copies what the worker does not set', () => {
    const { file } = parseWorkers('worker.list=lb\nworker.list=jkstatus\nworker.tmpl.type=ajp13\nworker.tmpl.port=8009\nworker.tmpl.socket_keepalive=true\nworker.n1.reference=worker.tmpl\nworker.n1.host=a\nworker.n1.port=9009\nworker.n1.port=9010\nworker.lb.type=lb\nworker.lb.balance_workers=n1\nworker.lb.balance_workers=n2\n', 'w.properties');
    expect(file.list).toEqual(['lb', 'jkstatus']);
    const n1 = file.workers.get('n1')!;
    expect(n1.settings.get('port')).toMatchObject({ value: '9010', line: 9 });
    expect(n1.settings.get('socket_keepalive')).toMatchObject({ value: 'true', via: 'worker.tmpl', line: 5 });
    expect(file.workers.get('lb')!.members).toEqual(['n1', 'n2']);
    expect(n1.listed).toBe(false);
  });
  it('$(name) is an earlier property', () => {
    const { file } = parseWorkers('ps=/\nworker.w.host=$(host)\nhost=x\nworker.w.port=$(p)\np=1\nworker.v.path=$(ps)a\n', 'w');
    expect(file.workers.get('v')!.settings.get('path')!.value).toBe('/a');
    expect(file.workers.get('w')!.settings.get('host')!.value).toBe('$(host)');
  });
  it('uriworkermap: exclusions, disabled lines, attributes', () => {
    expect(parseUriWorkerMap('/app/*=w1\n!/app/*.gif=w1\n-/old/*=w2\n/x|/*=w3;reply_timeout=1\n', 'u').map((m) => [m.uri, m.worker, m.unmount, m.line])).toEqual([
      ['/app/*', 'w1', false, 1],
      ['/app/*.gif', 'w1', true, 2],
      ['/x|/*', 'w3', false, 4],
    ]);
  });
});

describe('httpd configuration', () => {
  const files = {
    '/etc/httpd/conf/httpd.conf': 'ServerRoot "/etc/httpd"\nDefine BACKEND 10.0.0.9\nInclude conf.d/*.conf\nIncludeOptional conf.modules.d/*.conf\n<VirtualHost *:443>\n  ProxyPass /api \\\n     ajp://${BACKEND}:8009/api secret=abc timeout=30\n  <Location /jk>\n    JkMount w1\n  </Location>\n</VirtualHost>\n',
    '/etc/httpd/conf.d/jk.conf': '<IfModule mod_jk.c>\n  JkMount /app/* w1\n</IfModule>\n<Proxy balancer://c>\n  BalancerMember ajp://10.0.0.1:8009 route=n1\n</Proxy>\n',
  };
  it('Includes with globs relative to ServerRoot, continuations, Define, sections, Location mounts, balancer members', () => {
    const r = readHttpd('/etc/httpd/conf/httpd.conf', memFiles(files));
    expect(r.files).toEqual(['/etc/httpd/conf/httpd.conf', '/etc/httpd/conf.d/jk.conf']);
    const mounts = httpdMounts(r.directives);
    expect(mounts.map((m) => [m.uri, m.worker, m.vhost ?? '', m.path, m.line])).toEqual([
      ['/app/*', 'w1', '', '/etc/httpd/conf.d/jk.conf', 2],
      ['/jk', 'w1', '*:443', '/etc/httpd/conf/httpd.conf', 9],
    ]);
    const proxies = httpdProxies(r.directives);
    expect(proxies.map((p) => [p.host, p.port, p.mount ?? p.balancer, p.line, p.params.get('timeout')?.value])).toEqual([
      ['10.0.0.1', 8009, 'balancer://c', 5, undefined],
      ['10.0.0.9', 8009, '/api', 6, '30'],
    ]);
  });
  it('a missing Include target, a wildcard matching nothing and an Include loop are one-line errors', () => {
    expect(() => readHttpd('/a.conf', memFiles({ '/a.conf': 'Include /nope.conf\n' }))).toThrow(/^\/a\.conf:1: Include \/nope\.conf: no such file/);
    expect(() => readHttpd('/a.conf', memFiles({ '/a.conf': 'Include /d/*.conf\n' }))).toThrow(ConfigError);
    expect(() => readHttpd('/a.conf', memFiles({ '/a.conf': 'IncludeOptional /d/*.conf\nIncludeOptional /nope.conf\n' }))).not.toThrow();
    expect(() => readHttpd('/a.conf', memFiles({ '/a.conf': 'Include /b.conf\n', '/b.conf': 'Include /a.conf\n' }))).toThrow(/include loop \(\/a\.conf → \/b\.conf → \/a\.conf\)/);
  });
});

describe('server.xml and standalone.xml (sax, strict)', () => {
  it('entities, comments, multi-line tags: the line of the start tag; executors and jvmRoute', () => {
    const root = parseXml('<?xml version="1.0"?>\n<!DOCTYPE server [<!ENTITY sec "from-entity">]>\n<Server>\n<!-- <Connector port="1" protocol="AJP/1.3"/> -->\n<Service name="Catalina">\n<Executor name="ex" maxThreads="300"/>\n<Connector\n  protocol="org.apache.coyote.ajp.AjpNioProtocol" port="8009"\n  secret="&sec;&amp;" executor="ex"/>\n<Engine name="Catalina" jvmRoute="n1"/>\n</Service></Server>\n');
    const { connectors, jvmRoutes } = tomcatFacts(root, 's.xml');
    expect(connectors).toHaveLength(1);
    expect(connectors[0]!.line).toBe(7);
    expect(connectors[0]!.attrs.get('secret')!.value).toBe('from-entity&');
    expect(connectors[0]!.executor!.get('maxThreads')!.value).toBe('300');
    expect(connectors[0]!.jvmRoute!.value).toBe('n1');
    expect(jvmRoutes.map((j) => j.line)).toEqual([10]);
  });
  it("two Services: each Connector gets its own Service's Engine and Executor (the first of a name)", () => {
    const svc = (n: number) =>
      `<Service name="S${n}">\n<Executor name="ex" maxThreads="${n}00"/>\n<Executor name="ex" maxThreads="999"/>\n<Connector protocol="AJP/1.3" port="800${n}" executor="ex"/>\n<Connector protocol="AJP/1.3" port="810${n}" executor="none"/>\n<Engine name="E" jvmRoute="n${n}"/>\n</Service>`;
    const { connectors } = tomcatFacts(parseXml(`<Server>\n${svc(1)}\n${svc(2)}\n</Server>\n`), 's.xml');
    expect(connectors.map((c) => [c.port, c.executor?.get('maxThreads')?.value, c.jvmRoute?.value])).toEqual([
      [8001, '100', 'n1'],
      [8101, undefined, 'n1'],
      [8002, '200', 'n2'],
      [8102, undefined, 'n2'],
    ]);
  });
  it('broken XML says where', () => {
    expect(() => parseXml('<Server>\n<Service>\n<Connector port="8009">\n</Service>\n')).toThrow(/^line \d+: not well-formed XML/);
  });
  it('a fragment of several connectors keeps its line numbers', () => {
    const root = parseXml('<!-- a -->\n<Connector protocol="AJP/1.3" port="1"/>\n<Connector protocol="AJP/1.3"\n port="2"/>\n');
    expect(tomcatFacts(root, 'f').connectors.map((c) => [c.port, c.line])).toEqual([[1, 2], [2, 3]]);
  });
  it('WildFly: ajp-listener port and address from its socket binding and interface expressions', () => {
    const root = parseXml('<server xmlns="urn:jboss:domain:20.0"><profile><subsystem xmlns="urn:jboss:domain:undertow:14.0" instance-id="${jboss.node.name:n7}"><server name="default-server"><ajp-listener name="ajp" socket-binding="ajp" max-ajp-packet-size="65536"/></server></subsystem></profile>\n<interfaces><interface name="public"><inet-address value="${jboss.bind.address:0.0.0.0}"/></interface></interfaces>\n<socket-binding-group name="s" default-interface="public"><socket-binding name="ajp" port="${jboss.ajp.port:8009}"/></socket-binding-group></server>');
    const { connectors, jvmRoutes } = jbossFacts(root, 'standalone.xml');
    expect(connectors.map((c) => [c.port, c.address, c.attrs.get('max-ajp-packet-size')?.value])).toEqual([[8009, '0.0.0.0', '65536']]);
    expect(jvmRoutes[0]!.value).toBe('n7');
  });
});

describe('kind by content, not name', () => {
  it.each([
    ['worker.list=a\nworker.a.port=8009\n', 'workers'],
    ['/app/*=a\n/b/*=b\n', 'uriworkermap'],
    ['extension_uri=/jakarta/isapi_redirect.dll\nworker_file=C:\\jk\\workers.properties\nlog_level=info\n', 'isapi'],
    ['<IfModule mod_jk.c>\nJkWorkersFile conf/w.properties\nJkMount /* a\n</IfModule>\n', 'httpd'],
    ['<Connector port="8009" protocol="AJP/1.3"/>\n', 'tomcat'],
    ['<?xml version="1.0"?>\n<server xmlns="urn:jboss:domain:4.0"/>\n', 'jboss'],
    ['[Mon Nov 21 10:00:00 2026] [info] init_jk::mod_jk.c (3591): mod_jk/1.2.49 initialized\n', undefined],
    ['hello world\nthis is prose\n', undefined],
  ])('%j → %s', (text, kind) => {
    expect(detectConfigKind(text)).toBe(kind);
  });
  it('not a configuration is a one-line ConfigError', () => {
    expect(() => readConfigs([{ path: 'x.txt', text: 'hello\n' }])).toThrow(/^x\.txt: not a configuration ajp-inspect reads/);
  });
});


describe('XML nested beyond any configuration', () => {
  it('is one ConfigError naming the depth, not a stack overflow (20,000 nested <Service>)', async () => {
    const { parseXml, MAX_XML_DEPTH } = await import('../../src/config/xml.js');
    const text = '<Server port="8005">\n' + '<Service name="x">\n'.repeat(20000) + '</Service>\n'.repeat(20000) + '</Server>\n';
    expect(() => parseXml(text)).toThrow(new RegExp(`line ${MAX_XML_DEPTH + 1}: not well-formed XML: elements nested deeper than ${MAX_XML_DEPTH}`));
  });
});
