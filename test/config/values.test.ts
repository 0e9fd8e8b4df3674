import { describe, expect, it } from 'vitest';
import { ConfigError, connectorsFor, httpdWords, lastDirective, readConfigs, readHttpd, type AjpConnector, type FileAccess, type HttpdDirective } from '../../src/config/index.js';
import { memFiles } from '../rules/config-harness.js';

const dir = (name: string, args: string[], sections: string[] = [], line = 1): HttpdDirective => ({ path: 'httpd.conf', line, name, args, sections });
const conn = (line: number, port: number | undefined, address?: string): AjpConnector => ({
  path: 'server.xml',
  line,
  server: 'tomcat',
  attrs: new Map(),
  protocol: 'AJP/1.3',
  ...(port === undefined ? {} : { port }),
  ...(address === undefined ? {} : { address }),
});

describe('lastDirective (httpd: the last one wins)', () => {
  it('the last of a name whatever its case; a VirtualHost one only for that host', () => {
    const ds = [
      dir('ProxyTimeout', ['30'], [], 1),
      dir('proxytimeout', ['60'], [], 2),
      dir('ProxyTimeout', ['90'], ['VirtualHost *:443'], 3),
      dir('Timeout', ['120'], [], 4),
    ];
    expect(lastDirective(ds, 'PROXYTIMEOUT')?.line).toBe(2);
    expect(lastDirective(ds, 'ProxyTimeout', '*:443')?.line).toBe(3);
    expect(lastDirective(ds, 'ProxyTimeout', '*:80')?.line).toBe(2);
    expect(lastDirective(ds, 'KeepAlive')).toBeUndefined();
  });

  it('sees directives appended after it was first asked (the list grows while Includes are read)', () => {
    const ds: HttpdDirective[] = [dir('ProxyIOBufferSize', ['8192'], [], 1)];
    expect(lastDirective(ds, 'ProxyIOBufferSize')?.line).toBe(1);
    expect(lastDirective(ds, 'Timeout')).toBeUndefined();
    ds.push(dir('ProxyIOBufferSize', ['65536'], [], 2), dir('Timeout', ['5'], [], 3));
    expect(lastDirective(ds, 'ProxyIOBufferSize')?.line).toBe(2);
    expect(lastDirective(ds, 'Timeout')?.args).toEqual(['5']);
  });
});

describe('connectorsFor (a worker or proxy to the connectors it can reach)', () => {
  it('those on its port (8009 when unset), the ones with its literal address among several', () => {
    const cs = [conn(1, 8009, '10.0.0.1'), conn(2, 8009, '10.0.0.2'), conn(3, undefined), conn(4, 8010, '10.0.0.1')];
    expect(connectorsFor(cs, '10.0.0.2', 8009).map((c) => c.line)).toEqual([2]);
    expect(connectorsFor(cs, '10.0.0.9', 8009).map((c) => c.line)).toEqual([1, 2, 3]);
    expect(connectorsFor(cs, undefined, undefined).map((c) => c.line)).toEqual([1, 2, 3]);
    // one on the port is that one, whatever its address
    expect(connectorsFor(cs, '10.0.0.2', 8010).map((c) => c.line)).toEqual([4]);
    expect(connectorsFor(cs, '10.0.0.1', 8443)).toEqual([]);
  });

  it('sees connectors appended after it was first asked', () => {
    const cs: AjpConnector[] = [conn(1, 8009)];
    expect(connectorsFor(cs, 'h', 8010)).toEqual([]);
    cs.push(conn(2, 8010, 'h'), conn(3, 8010, 'k'));
    expect(connectorsFor(cs, 'h', 8010).map((c) => c.line)).toEqual([2]);
  });
});

describe('httpdWords (ap_getword_conf)', () => {
  it('quotes group, \\" and \\\\ inside quotes keep the character, other backslashes stay', () => {
    expect(httpdWords('ProxyPass  /a\t"ajp://h:8009/a b" \'1 2\'')).toEqual(['ProxyPass', '/a', 'ajp://h:8009/a b', '1 2']);
    // a quote opens a group only at the start of a word, as in ap_getword_conf
    expect(httpdWords("x='1 2'")).toEqual(["x='1", "2'"]);
    expect(httpdWords('Header set X "a \\"b\\" c\\\\" \\d')).toEqual(['Header', 'set', 'X', 'a "b" c\\', '\\d']);
    // an unclosed quote runs to the end of the line
    expect(httpdWords('SetEnv A "open to the end')).toEqual(['SetEnv', 'A', 'open to the end']);
    // what /\s/ calls a space separates words (a no-break space pasted from a web page)
    expect(httpdWords('JkMount\u00a0/app/*\u2028w1')).toEqual(['JkMount', '/app/*', 'w1']);
  });

  it('directives of a file share the enclosing sections as they were at each', () => {
    const r = readHttpd('/h.conf', memFiles({ '/h.conf': 'A 1\n<VirtualHost *:80>\nB 2\nC 3\n</VirtualHost>\nD 4\n' }));
    expect(r.directives.map((d) => [d.name, [...d.sections]])).toEqual([
      ['A', []],
      ['B', ['VirtualHost *:80']],
      ['C', ['VirtualHost *:80']],
      ['D', []],
    ]);
  });
});

describe('readConfigs: configuration text read at most (maxBytes, MAX_CONFIG_BYTES)', () => {
  const main = 'ServerRoot /srv\nInclude conf.d/*.conf\n';
  const files = { '/srv/httpd.conf': main, '/srv/conf.d/a.conf': 'JkMount /a/* w1\n'.repeat(40), '/srv/conf.d/b.conf': 'JkMount /b/* w1\n'.repeat(40) };
  const source = { path: '/srv/httpd.conf', text: main };

  it('the sources and what they include, together', () => {
    expect(readConfigs([source], memFiles(files), { maxBytes: 2000 }).mounts).toHaveLength(80);
    // each included file fits, the two together do not: the one that goes past is named
    expect(() => readConfigs([source], memFiles(files), { maxBytes: 1000 })).toThrow(ConfigError);
    expect(() => readConfigs([source], memFiles(files), { maxBytes: 1000 })).toThrow(/^\/srv\/conf\.d\/b\.conf: more configuration than one run reads/);
    // the sources alone
    expect(() => readConfigs([source, { path: 'w.properties', text: 'worker.list=w1\n'.repeat(100) }], memFiles(files), { maxBytes: 1000 })).toThrow(/^w\.properties: more/);
  });

  it('a file whose size is told beforehand is not read when it would go past', () => {
    const fs = memFiles(files);
    const read: string[] = [];
    const sized: FileAccess = {
      ...fs,
      size: (p) => (p.endsWith('b.conf') ? 1 << 30 : undefined),
      read: (p) => {
        read.push(p);
        return fs.read(p);
      },
    };
    expect(() => readConfigs([source], sized, { maxBytes: 2000 })).toThrow(/b\.conf: more configuration/);
    expect(read).toEqual(['/srv/conf.d/a.conf']);
  });
});
