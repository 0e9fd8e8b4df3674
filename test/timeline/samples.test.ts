/**
 * Connection stories on real captures from samples/ (httpd + mod_jk / mod_proxy_ajp + Tomcat 10.1),
 * checked against what the scenario READMEs and the components' own logs say happened.
 */
import { describe, expect, it } from 'vitest';
import { AjpAnalyzer, type AjpResult } from '../../src/timeline/index.js';
import { runCapture } from '../mcmp/run-capture.js';

async function analyse(name: string): Promise<AjpResult> {
  const a = new AjpAnalyzer({ ajpPorts: [18009] });
  await runCapture(new URL(`../../samples/${name}/capture.pcap`, import.meta.url).pathname, a);
  return a.result();
}

describe('stories of real captures', () => {
  it('baseline: 20 requests all 200 with reuse=1, every one after a CPing, no violation', async () => {
    const r = await analyse('baseline');
    expect(r.violations).toEqual([]);
    expect(r.requestList).toHaveLength(20);
    expect(r.requestList.every((q) => q.status === 200 && q.outcome === 'end-response')).toBe(true);
    expect(r.connectionList.map((c) => [c.stream, c.requests, c.cpings, c.cpongs, c.reused])).toEqual([
      [1, 12, 12, 12, 12],
      [9, 6, 6, 6, 6],
      [18, 1, 1, 1, 1],
      [20, 1, 1, 1, 1],
    ]);
    // Both uploads through each module: 27 019 bytes with Content-Length, 30 000 chunked.
    const uploads = r.requestList.filter((q) => q.method === 'POST').map((q) => q.requestBytes);
    expect(uploads).toEqual([27019, 30000, 27019, 30000]);
  });

  it('secret-mismatch: every 403 ends with reuse=0 and says whether a secret was sent', async () => {
    const r = await analyse('secret-mismatch');
    const noReuse = r.violations.filter((v) => v.kind === 'end-response-no-reuse');
    expect(noReuse).toHaveLength(14); // README: 14 requests without or with a wrong secret
    expect(noReuse.every((v) => v.fields?.status === 403)).toBe(true);
    const withSecret = noReuse.filter((v) => v.fields?.secret === true).map((v) => v.fields?.uri);
    expect(withSecret.length).toBeGreaterThan(0);
    expect(withSecret.every((u) => typeof u === 'string' && u.includes('wrongsecret'))).toBe(true);
    expect(r.distinctSecrets).toBe(2); // the wrong one and the right one
  });

  it('client-abort: the web server closes inside the cycle', async () => {
    const r = await analyse('client-abort');
    const closed = r.violations.filter((v) => v.kind === 'closed-in-cycle');
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((v) => v.fields?.by === 'web-server')).toBe(true);
  });
});
