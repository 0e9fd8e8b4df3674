/**
 * `ajp-inspect config` on the configuration each sample run used (samples/<run>/workers.properties,
 * httpd.conf, server-connector.xml): what its README says was set wrong is flagged at warning or
 * above, and nothing else; the baseline run has nothing at warning or above.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfigs } from '../../src/config/index.js';
import { configRules, diagnose } from '../../src/rules/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Per run: the misconfiguration its README describes, as the config checks name it. */
const EXPECTED: Record<string, string[]> = {
  baseline: [],
  'backend-down': [],
  'backend-restart': [],
  'client-abort': [],
  // 10.231.0.2 behind a stateful firewall, "no connection_pool_timeout, no socket_keepalive", ProxyPass without ttl
  'firewall-idle-drop': ['config-idle-pool-unprotected'],
  // loopback connector, probe sent locally: the configuration is not what went wrong
  'ghostcat-probe': [],
  // Tomcat maxThreads="2" behind 25 httpd threads
  overload: ['config-backend-threads'],
  // worker big max_packet_size=65536 vs packetSize 8192 (phase 1), packetSize 65536 vs 8192 (phase 2), LimitRequestFieldSize 65536
  'packet-size': ['config-header-exceeds-packet', 'config-packet-size-mismatch'],
  // maxThreads="1"; ProxyPass timeout=3 shorter than the 5 s servlet
  'proxy-ajp-faults': ['config-backend-threads', 'config-reply-timeout-short'],
  // reply_timeout=1000 and ProxyPass timeout=1 shorter than the servlet
  'reply-timeout': ['config-reply-timeout-short'],
  // nosecret / wrongsecret workers and ProxyPass lines against secret="s3cr3t-of-tomcat"
  'secret-mismatch': ['config-secret-mismatch'],
};

function audit(run: string, httpdFile: string): string[] {
  const dir = `${ROOT}samples/${run}/`;
  const files = ['workers.properties', httpdFile, 'server-connector.xml'].filter((f) => existsSync(dir + f));
  const facts = readConfigs(files.map((f) => ({ path: `samples/${run}/${f}`, text: readFileSync(dir + f, 'utf8') })));
  const { findings } = diagnose({ events: [], config: facts }, { rules: configRules });
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.id))].sort();
}

describe('config checks on the samples', () => {
  for (const [run, ids] of Object.entries(EXPECTED)) {
    it(`${run}: ${ids.length ? ids.join(', ') : 'nothing at warning or above'}`, () => {
      expect(audit(run, 'httpd.conf')).toEqual(ids);
    });
  }
  it('the httpd-snippet.conf of each run says the same, but for the MPM limits it lacks', () => {
    for (const [run, ids] of Object.entries(EXPECTED)) expect(audit(run, 'httpd-snippet.conf'), run).toEqual(ids.filter((i) => i !== 'config-backend-threads'));
  });
  it('packet-size: both phases are named, each with the line to change', () => {
    const dir = `${ROOT}samples/packet-size/`;
    const facts = readConfigs(['workers.properties', 'httpd.conf', 'server-connector.xml'].map((f) => ({ path: f, text: readFileSync(dir + f, 'utf8') })));
    const f = diagnose({ events: [], config: facts }, { rules: configRules }).findings.filter((x) => x.id === 'config-packet-size-mismatch');
    expect(f.map((x) => x.remedy.split('\n')[0]).sort()).toEqual([
      'ProxyIOBufferSize 65536 (or packetSize="8192" on the connector)',
      'packetSize="65536" on the connector at server-connector.xml:2 (or worker.big.max_packet_size=8192)',
      'worker.node1.max_packet_size=65536 (or packetSize="8192" on the connector)',
    ]);
  });
});
