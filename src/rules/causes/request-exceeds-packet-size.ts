import { defineRule } from '../types.js';
import { httpdMarshalFailed, jkCreateMessageFailed, jkLbClientFailed, jkMarshalFailed } from '../signals.js';
import { list, merge, plural, span } from '../helpers.js';

export default defineRule({
  id: 'request-exceeds-packet-size',
  title: 'Request does not fit into one AJP packet (max_packet_size / ProxyIOBufferSize)',
  severity: 'warning',
  // No capture evidence: the web server refuses the request before sending anything to Tomcat, so the
  // AJP side of a capture shows nothing (an oversized packet that IS sent is packet-size-mismatch).
  needs: { logs: [jkMarshalFailed, jkCreateMessageFailed, jkLbClientFailed, httpdMarshalFailed] },
  docs: {
    summary:
      'The request headers (big cookies, Kerberos/SPNEGO Authorization tokens), query string or client certificate chain do not fit into the AJP packet (default 8192 bytes). mod_jk answers 413, mod_proxy_ajp 400; nothing reaches Tomcat.',
    remedy: [
      'mod_jk: worker.<name>.max_packet_size=65536 (1.2.19+, multiple of 1024, max 65536) AND Tomcat <Connector protocol="AJP/1.3" packetSize="65536"/> (6.0.2+) — both sides, or packet-size-mismatch follows.',
      'mod_proxy_ajp: ProxyIOBufferSize 65536 plus the same Tomcat packetSize.',
      'Also check httpd LimitRequestFieldSize and Tomcat maxHttpHeaderSize; find what makes the request big (cookies, SSLOptions +ExportCertData, JkOptions +ForwardSSLCertChain).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (max_packet_size)', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (packetSize)', 'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxyiobuffersize'],
  },
  check(ctx) {
    const jk = merge(ctx.signals(jkMarshalFailed), ctx.signals(jkCreateMessageFailed), ctx.signals(jkLbClientFailed).filter((s) => s.d.status === 413));
    const httpd = ctx.signals(httpdMarshalFailed);
    const all = merge(jk, httpd);
    if (!all.length) return [];
    const items = [...new Set(all.map((s) => s.d.item).filter((x) => x !== undefined).map((x) => String(x).replace(/ of length \d+$/, '')))];
    const requests = Math.max(ctx.signals(jkCreateMessageFailed).length, httpd.filter((s) => s.d.item === undefined && s.d.fn === undefined).length, 1);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `${plural(requests, 'request')}${span(all)} did not fit into one AJP packet${items.length ? `; the part that no longer fitted: ${list(items.slice(0, 4))}` : ''}. The client got ${jk.length ? '413' : '400'} and Tomcat never saw the request.`,
        evidence: all,
      }),
    ];
  },
});
