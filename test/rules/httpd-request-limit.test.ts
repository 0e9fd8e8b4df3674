import { describe, expect, it } from 'vitest';
import { fx, paste, run, sample } from './harness.js';

const ID = 'httpd-request-limit';

describe(ID, () => {
  it('finds it, first: an httpd 2.4 AH00561 line for a bearer token (published/itsfullofstars-ah00561-error_log, as published)', () => {
    const r = run(fx('published/itsfullofstars-ah00561-error_log'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    const f = r.findings[0]!;
    expect(f).toMatchObject({ severity: 'error', confidence: 'confirmed', subject: { limit: 'LimitRequestFieldSize' } });
    expect(f.explanation).toMatch(/LimitRequestFieldSize \(default 8190 bytes\) \(Authorization\)/);
    expect(f.explanation).toMatch(/before mod_jk or mod_proxy_ajp sees the request/);
    expect(f.evidence.map((e) => (e.source === 'log' ? e.line : 0))).toEqual([2]);
  });

  it("httpd 2.2's wording without AH codes (published/smeretech…, and gh-idol-find's Kerberos header as published)", () => {
    for (const input of [fx('published/smeretech-limitrequestfieldsize-error_log'), paste('gh-idol-find-kerberos-header-ajp-packetsize')]) {
      const r = run(input);
      expect(r.findings[0]?.id, `${input.path}: ${r.ids.join(', ')}`).toBe(ID);
      expect(r.findings[0]?.explanation).toContain('(Authorization)');
      // the remedy goes on to the AJP packet, which the raised header must fit next
      expect(r.findings[0]?.remedy).toMatch(/max_packet_size=65536.*ProxyIOBufferSize 65536.*packetSize="65536"/);
    }
  });

  it('the other limits, each a finding of its own (constructed from httpd server/protocol.c AH00560, AH00563, AH00565 and 2.2.3\'s URI too long)', () => {
    const text = [
      '[Wed Dec 02 10:00:00.000001 2026] [core:info] [pid 7:tid 9] [client 10.1.2.3:50000] AH00560: Request header exceeds LimitRequestFieldSize after merging: Cookie',
      '[Wed Dec 02 10:00:01.000001 2026] [core:info] [pid 7:tid 9] [client 10.1.2.3:50001] AH00563: Number of request headers exceeds LimitRequestFields',
      "[Wed Dec 02 10:00:02.000001 2026] [core:info] [pid 7:tid 9] [client 10.1.2.3:50002] AH00565: request failed: client's request-line exceeds LimitRequestLine (longer than 8190)",
      '[Wed Dec 02 10:00:03 2026] [error] [client 10.1.2.4] request failed: URI too long (longer than 8190)',
    ].join('\n');
    const r = run({ path: 'error_log', text });
    expect(r.all(ID).map((f) => f.subject?.limit)).toEqual(['LimitRequestFieldSize', 'LimitRequestFields', 'LimitRequestLine']);
    expect(r.get(ID)?.explanation).toContain('(Cookie)');
    const line = r.all(ID).find((f) => f.subject?.limit === 'LimitRequestLine')!;
    expect(line.explanation).toMatch(/httpd refused 2 requests, each with a request line .* \(the limit in force: 8190\)/);
  });

  it('the page the client got, pasted alone: the same cause, likely (httpd writes the error-notes into its 400 page)', () => {
    const r = run({ path: 'paste', text: 'Bad Request\nYour browser sent a request that this server could not understand.\nSize of a request header field exceeds server limit.\n' });
    expect(r.get(ID)).toMatchObject({ confidence: 'likely', subject: { limit: 'LimitRequestFieldSize' } });
    expect(r.get(ID)?.explanation).toMatch(/^The error page is the one httpd writes when the client sent a request header larger/);
  });

  it('stays quiet on the samples and on a request too big for the AJP packet alone (request-exceeds-packet-size)', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
    expect(run({ path: 'error_log', text: '[Wed Dec 02 10:00:00.000001 2026] [proxy_ajp:error] [pid 7:tid 9] [client 10.1.2.3:50000] AH00987: ajp_send_header: ajp_marshal_into_msgb failed\n' }).ids).not.toContain(ID);
  });
});
