import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auditConfig, memFiles } from './config-harness.js';
import { parseLogText } from '../../src/logs/index.js';
import { readConfigs } from '../../src/config/index.js';
import { diagnose, knownMessage } from '../../src/rules/index.js';

const xml = (c: string): Record<string, string> => ({ '/c/server.xml': `<?xml version="1.0"?>\n<Server port="8005">\n<Service name="Catalina">\n${c}\n</Service></Server>\n` });

describe('config-ajp-exposed', () => {
  it('address="0.0.0.0" with secretRequired="false" is Ghostcat-exposed (error, confirmed)', () => {
    const f = auditConfig(xml('<Connector port="8009" protocol="AJP/1.3" address="0.0.0.0" secretRequired="false" redirectPort="8443"/>')).find((x) => x.id === 'config-ajp-exposed');
    expect(f?.severity).toBe('error');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.evidence[0]).toMatchObject({ source: 'config', path: '/c/server.xml', line: 4 });
  });
  it('the pre-9.0.31 default connector (no address, no secret) is exposed on those versions (likely)', () => {
    const f = auditConfig(xml('<Connector port="8009" protocol="AJP/1.3" redirectPort="8443" />')).find((x) => x.id === 'config-ajp-exposed');
    expect(f?.confidence).toBe('likely');
  });
  it('loopback, one interface, or a secret: not exposed', () => {
    for (const c of ['address="127.0.0.1" secretRequired="false"', 'address="::1" secretRequired="false"', 'address="10.0.0.5" secretRequired="false"', 'address="0.0.0.0" secret="x"', 'address="0.0.0.0" requiredSecret="x"']) {
      expect(auditConfig(xml(`<Connector port="8009" protocol="AJP/1.3" ${c}/>`)).map((x) => x.id), c).not.toContain('config-ajp-exposed');
    }
  });
  it('secretRequired is read as Tomcat reads it (IntrospectionUtils → Boolean.valueOf): "yes" and "" are false', () => {
    // "yes" is no secret check to Tomcat: with address="0.0.0.0" the connector is exposed (boolValue, mod_jk's reading, said true)
    const yes = auditConfig(xml('<Connector port="8009" protocol="AJP/1.3" address="0.0.0.0" secretRequired="yes"/>')).find((x) => x.id === 'config-ajp-exposed');
    expect(yes?.confidence).toBe('confirmed');
    // secretRequired="" (the fix zh-readme-juddi posts): false, so on 9.0.31+ a loopback connector without a secret
    const empty = auditConfig(xml('<Connector port="8009" protocol="AJP/1.3" redirectPort="8443" secretRequired="" />')).find((x) => x.id === 'config-ajp-exposed');
    expect(empty).toMatchObject({ severity: 'warning', confidence: 'possible' });
    expect(empty?.explanation).toContain('secretRequired="" (false to Tomcat)');
    // "TRUE" is true in any case: refused at start without a secret, not exposed
    expect(auditConfig(xml('<Connector port="8009" protocol="AJP/1.3" address="0.0.0.0" secretRequired="TRUE"/>')).map((x) => x.id)).not.toContain('config-ajp-exposed');
  });

  it("a connector without address or secret, beside Tomcat's own refusal of it for want of a secret: not exposed on any version that logs it (zh-readme-juddi)", () => {
    // The post's log line (Tomcat 9.0.31's AbstractAjpProtocol.start) and its two <Connector>s: as
    // published, and the fix with secretRequired="".
    const paste = readFileSync(fileURLToPath(new URL('../fixtures/logs/pastes/zh-readme-juddi-tomcat9031-secretrequired.txt', import.meta.url)), 'utf8');
    const events = parseLogText(paste.split('\n')[0]!, { path: 'catalina.out', tz: 'UTC', knownMessage }).events;
    const files = xml('<Connector port="8009" protocol="AJP/1.3" redirectPort="8443" />\n<Connector port="8010" protocol="AJP/1.3" redirectPort="8443" secretRequired="" />');
    const config = readConfigs(Object.entries(files).map(([path, text]) => ({ path, text })), memFiles(files));
    const found = diagnose({ events, config }).findings;
    expect(found[0]?.id).toBe('tomcat-ajp-hardening-defaults');
    const exposed = found.filter((x) => x.id === 'config-ajp-exposed');
    expect(exposed.map((x) => x.subject)).toEqual([{ connector: 'port 8010' }]);
    expect(exposed[0]).toMatchObject({ severity: 'warning', confidence: 'possible' });
    // without the log line, the first connector is the pre-9.0.31 default: exposed on those versions
    expect(diagnose({ events: [], config }).findings.filter((x) => x.id === 'config-ajp-exposed').map((x) => x.subject)).toEqual([{ connector: 'port 8009' }, { connector: 'port 8010' }]);
  });

  it('an HTTP connector is not an AJP connector', () => {
    expect(auditConfig(xml('<Connector port="8080" protocol="HTTP/1.1" address="0.0.0.0"/>')).map((x) => x.id)).not.toContain('config-ajp-exposed');
  });
});

describe('many connectors (a generated or damaged server.xml: fuzz log:4018 had ~200,000)', () => {
  it('at most MAX_FINDINGS_PER_RULE findings of the rule, the last saying how many more; each connector its own executor', async () => {
    const { MAX_FINDINGS_PER_RULE } = await import('../../src/rules/engine.js');
    const n = 3000;
    const cs = Array.from({ length: n }, (_, i) => `<Connector port="${20000 + i}" protocol="AJP/1.3" address="0.0.0.0" secretRequired="false" executor="ex${i % 7}"/>`).join('\n');
    const execs = Array.from({ length: 7 }, (_, i) => `<Executor name="ex${i}" maxThreads="${100 + i}"/>`).join('\n');
    const found = auditConfig(xml(`${execs}\n${cs}`)).filter((x) => x.id === 'config-ajp-exposed');
    expect(found.length).toBe(MAX_FINDINGS_PER_RULE);
    expect(found.at(-1)?.notes?.some((t) => t.includes(`${n - MAX_FINDINGS_PER_RULE} more findings of this check not shown (${n} in all)`))).toBe(true);
    // the first connectors (in file order) are the ones kept when all rank the same
    expect(found[0]?.evidence[0]).toMatchObject({ line: 4 + 7 });
  });
});
