/**
 * Configuration quoted in a paste (src/config/fragments.ts, addExcerpts). The pieces are real: the
 * log lines of test/fixtures/logs/pastes/jk-ubuntu-tomcat6-wrong-server-xml.txt, the
 * workers.properties and mod_jk.conf of test/fixtures/configs/real/eviles-docker-httpd-tomcat and
 * tges-httpd24-jk, the <Service> of drshiki-app-test-env/app-server.xml (their source.json name the
 * repositories); how they are laid out in one text (headings, blank lines, a mail quote, an excerpt
 * cut inside <Service>) is the constructed part, as people post them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addExcerpts, configFragments, emptyFacts } from '../../src/config/index.js';

const fixture = (p: string): string => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const jkLines = fixture('logs/pastes/jk-ubuntu-tomcat6-wrong-server-xml.txt').split('\n').slice(0, 3);
const workers = fixture('configs/real/eviles-docker-httpd-tomcat/workers.properties').trimEnd().split('\n');
const jkConf = fixture('configs/real/tges-httpd24-jk/mod_jk.conf')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
const serverXml = fixture('configs/real/drshiki-app-test-env/app-server.xml').split('\n');
/** From `<Service name="Catalina">` to the AJP connector's end: an excerpt that never closes the Service. */
const serviceStart = serverXml.findIndex((l) => l.includes('<Service name="Catalina">'));
const ajpEnd = serverXml.findIndex((l) => l.includes('secretRequired="false"/>'));
const serviceExcerpt = serverXml.slice(serviceStart, ajpEnd + 1);

/** Lines numbered from 1 where `needle` stands in `text`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('configFragments', () => {
  it('finds workers.properties between prose and log lines, on the lines where it stands', () => {
    const text = ['Hi, mod_jk gives 503 for every request.', '', 'workers.properties:', ...workers, '', 'mod_jk.log:', ...jkLines, 'Any idea?'].join('\n');
    const f = configFragments(text);
    expect(f.map((x) => x.kind)).toEqual(['workers']);
    const w = f[0];
    // every line kept where it was: the same number of lines, the worker lines at their places
    expect(w.text.split('\n')).toHaveLength(text.split('\n').length);
    expect(w.firstLine).toBe(lineOf(text, 'worker.list=jsp-ap'));
    expect(w.lastLine).toBe(lineOf(text, 'worker.jsp-ap.lbfactor=1'));
    expect(w.lines).toBe(5);
    expect(w.text.split('\n')[w.firstLine - 1]).toBe('worker.list=jsp-ap');
    // prose, comments, the non-worker properties and the log lines are blank
    expect(w.text).not.toMatch(/errno|Hi,|workers\.tomcat_home|# worker/);
  });

  it('reads the facts the whole file gives: the worker, its host and port, with the paste\'s line numbers', () => {
    const text = ['workers.properties:', ...workers, '', ...jkLines].join('\n');
    const facts = emptyFacts();
    const { read, unread } = addExcerpts(facts, 'stdin', text);
    expect(unread).toEqual([]);
    expect(read.map((r) => r.kind)).toEqual(['workers']);
    const worker = facts.workers[0]!.workers.get('jsp-ap');
    expect(worker?.settings.get('host')?.value).toBe('127.0.0.1');
    expect(worker?.settings.get('port')?.line).toBe(lineOf(text, 'worker.jsp-ap.port=8009'));
    expect(facts.files).toEqual([{ path: 'stdin', kind: 'workers', quoted: { first: read[0]!.firstLine, last: read[0]!.lastLine } }]);
  });

  it('takes httpd directives only in a block that holds one no sentence starts with', () => {
    const prose = ['Include the full error log below, the User says it fails since Monday.', 'Options we tried: none helped.'];
    const text = [...prose, '', ...jkConf, '', ...jkLines].join('\n');
    const f = configFragments(text);
    expect(f.map((x) => x.kind)).toEqual(['httpd']);
    const kept = f[0]!.text.split('\n');
    expect(kept.slice(0, prose.length)).toEqual(['', '']);
    expect(kept).toContain('JkMount status');
    expect(kept).toContain('</Location>');
    // prose alone: nothing
    expect(configFragments(prose.join('\n'))).toEqual([]);
    // a sentence that starts with a directive's name, in a block with directives, is prose too
    const mixed = configFragments(['ProxyPass works for /app but not for /other.', 'ProxyPass /app ajp://127.0.0.1:8009/app'].join('\n'));
    expect(mixed[0]!.text.split('\n')).toEqual(['', 'ProxyPass /app ajp://127.0.0.1:8009/app']);
  });

  it('reads an excerpt of server.xml cut inside <Service>: the connector and its Engine\'s jvmRoute', () => {
    const engine = '    <Engine name="Catalina" defaultHost="localhost" jvmRoute="tomcat1">';
    const text = ['server.xml:', ...serviceExcerpt, engine, '', ...jkLines].join('\n');
    const facts = emptyFacts();
    const { read, unread } = addExcerpts(facts, 'paste.txt', text);
    expect(unread).toEqual([]);
    expect(read.map((r) => r.kind)).toEqual(['tomcat']);
    const ajp = facts.connectors.find((c) => c.port === 8009);
    expect(ajp?.line).toBe(lineOf(text, '<Connector protocol="AJP/1.3"'));
    expect(ajp?.attrs.get('secretRequired')?.value).toBe('false');
    expect(ajp?.jvmRoute?.value).toBe('tomcat1');
  });

  it('blanks a close tag without its open tag (an excerpt ending in </Service></Server>)', () => {
    const connector = serverXml.slice(ajpEnd - 3, ajpEnd + 1);
    const text = [...connector, '  </Service>', '</Server>'].join('\n');
    const facts = emptyFacts();
    const { unread } = addExcerpts(facts, 'x', text);
    expect(unread).toEqual([]);
    expect(facts.connectors.map((c) => c.port)).toEqual([8009]);
  });

  it('keeps mail-quoted and indented configuration, and CRLF line ends, at their lines', () => {
    const text = ['> workers.properties:', ...workers.map((l) => `> ${l}`), '', ...jkLines.map((l) => `    ${l}`)].join('\r\n');
    const f = configFragments(text);
    expect(f.map((x) => x.kind)).toEqual(['workers']);
    expect(f[0]!.firstLine).toBe(text.split('\r\n').findIndex((l) => l.includes('worker.list=')) + 1);
    expect(f[0]!.text.split('\n')[f[0]!.firstLine - 1]).toBe('worker.list=jsp-ap');
  });

  it('reads directives written as Markdown inline code, one per line (gh-idol-find-kerberos-header-ajp-packetsize, real post)', () => {
    const text = readFileSync(new URL('../fixtures/logs/pastes/gh-idol-find-kerberos-header-ajp-packetsize.txt', import.meta.url), 'utf8');
    const f = configFragments(text);
    expect(f.map((x) => x.kind)).toEqual(['httpd']);
    const lines = f[0]!.text.split('\n');
    expect(lines.filter((l) => l !== '')).toEqual(['LimitRequestFieldSize 65536', 'ProxyIOBufferSize 65536']);
    expect(lines[lineOf(text, '`ProxyIOBufferSize 65536`') - 1]).toBe('ProxyIOBufferSize 65536');
  });

  it('takes a continued directive with its continuation lines only (a backslash ends each but the last)', () => {
    const text = ['JkMount /app \\', '  worker1', 'Options we tried, none helped', '', 'JkLogLevel info'].join('\n');
    expect(configFragments(text)[0]!.text.split('\n')).toEqual(['JkMount /app \\', 'worker1', '', '', 'JkLogLevel info']);
  });

  it('does not read an HTML error page, or a log line that names a Connector, as server.xml', () => {
    const page = ['<html><head><title>503 Service Unavailable</title></head><body>', '<h1>Service Unavailable</h1>', '<p>The server is temporarily unable to service your request.</p>', '</body></html>'];
    expect(configFragments([...page, ...jkLines].join('\n'))).toEqual([]);
  });

  it('says which fragment it could not read, and reads the others', () => {
    const broken = ['<Connector port=8009 protocol="AJP/1.3" redirectPort="8443"/>'];
    const text = [...broken, '', ...workers].join('\n');
    const facts = emptyFacts();
    const { read, unread } = addExcerpts(facts, 'p', text);
    expect(read.map((r) => r.kind)).toEqual(['workers']);
    expect(unread.map((u) => u.fragment.kind)).toEqual(['tomcat']);
    expect(unread[0]!.reason).toMatch(/XML/);
    expect(facts.connectors).toEqual([]);
  });
});

describe('configFragments on hostile text', () => {
  it('quotes or a comment that never close: the rest of the run is left as it is, and the parser says why', () => {
    const facts = emptyFacts();
    const { read, unread } = addExcerpts(facts, 'p', '<Connector a="x\n'.repeat(5000).trimEnd());
    expect(read).toEqual([]);
    expect(unread.map((u) => [u.fragment.kind, u.fragment.firstLine, u.fragment.lastLine])).toEqual([['tomcat', 1, 5000]]);
    expect(addExcerpts(emptyFacts(), 'p', '<!-- <Connector port="8009" protocol="AJP/1.3"/>\n'.repeat(5000)).read).toEqual([]);
  });
  it('elements nested deeper than MAX_XML_DEPTH: refused with one line, never a stack overflow', () => {
    const { unread } = addExcerpts(emptyFacts(), 'p', '<Connector port="8009" protocol="AJP/1.3">\n'.repeat(20000));
    expect(unread[0]?.reason).toMatch(/nested deeper than 256/);
  });
});
