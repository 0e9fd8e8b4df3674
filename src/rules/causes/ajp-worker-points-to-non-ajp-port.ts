import { defineRule } from '../types.js';
import { httpdBadSignature, jkWrongFormat } from '../signals.js';
import { byBackend, groupBy, plural, span } from '../helpers.js';

const FOREIGN: Record<string, string> = {
  '4854': '"HT" — an HTTP/1.x response: the port is an HTTP connector',
  '1503': 'a TLS alert record: the port is an HTTPS connector',
  '1603': 'a TLS handshake record: the port is an HTTPS connector',
  '1501': 'a TLS alert record: the port is an HTTPS connector',
  '5353': '"SS" — an SSH banner: the port is an SSH server',
  '3c21': '"<!" — HTML: the port is an HTTP server',
  '3c68': '"<h" — HTML: the port is an HTTP server',
};

export default defineRule({
  id: 'ajp-worker-points-to-non-ajp-port',
  title: 'AJP worker / ProxyPass points to an HTTP, HTTPS or other non-AJP port',
  severity: 'error',
  needs: { logs: [jkWrongFormat, httpdBadSignature], capture: ['non-ajp-reply'] },
  docs: {
    summary:
      'The backend answered the FORWARD_REQUEST with something that is not an AJP packet (magic "AB" = 0x4142): 0x4854 "HT" is an HTTP response, 0x1503/0x1603 a TLS record. The worker host:port is not the AJP connector.',
    remedy: [
      'workers.properties: worker.<name>.port=<the port of <Connector protocol="AJP/1.3">> (8009 by default), or ProxyPass /app ajp://host:8009/app.',
      'For an HTTP connector use mod_proxy_http instead: ProxyPass /app http://host:8080/app.',
    ],
    references: ['tomcat-connectors native/common/jk_ajp_common.c ajp_connection_tcp_get_message() "wrong message format"', 'httpd modules/proxy/ajp_msg.c ajp_msg_check_header() AH01080', 'https://tomcat.apache.org/connectors-doc/reference/workers.html'],
  },
  check(ctx) {
    const sigs = [...ctx.signals(jkWrongFormat), ...ctx.signals(httpdBadSignature)].sort((a, b) => a.seq - b.seq);
    const cap = ctx.capture('non-ajp-reply');
    if (!sigs.length && !cap.length) return [];
    const findings = [];
    for (const [backend, g] of groupBy(sigs, byBackend)) {
      const magics = [...new Set(g.map((s) => String(s.d.magic)))];
      const known = magics.filter((m) => FOREIGN[m]);
      findings.push(
        ctx.finding({
          confidence: known.length ? (cap.length ? 'confirmed' : 'likely') : 'possible',
          explanation: known.length
            ? `${plural(g.length, 'reply', 'replies')} from ${backend || 'the backend'}${span(g)} started with 0x${known[0]}, ${FOREIGN[known[0]]}, not AJP.`
            : `${plural(g.length, 'reply', 'replies')} from ${backend || 'the backend'} had a bad AJP magic (0x${magics.join(', 0x')}): either not an AJP port or a stream that lost sync after an earlier error.`,
          evidence: [...g, ...cap],
          subject: backend ? { backend } : undefined,
        }),
      );
    }
    return findings;
  },
});
