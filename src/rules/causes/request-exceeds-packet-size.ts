import { defineRule, type SignalDef } from '../types.js';

/**
 * BonCode's IIS AJP connector (BonCodeAJP13ForwardRequest.WritePacket): `Invalid content length. Last
 * header processed [HTTP_AUTHORIZATION]. Please reconfigure BonCode Connector and Apache Tomcat to
 * allow larger transfer packets. Your max allowed content length is 8186 bytes.`
 */
const boncodePacketTooSmall: SignalDef = {
  kind: 'boncode-packet-too-small',
  source: 'jk',
  needles: ['allow larger transfer packets', 'max allowed content length is'],
  re: /(?:Last header processed \[(\w+)\][^\n]*?)?(?:allow larger transfer packets|max allowed content length is (\d+) bytes)/,
  data: (m) => ({ item: m[1], max: m[2] === undefined ? undefined : Number(m[2]) }),
};
import { httpdMarshalFailed, jkCreateMessageFailed, jkLbClientFailed, jkMarshalFailed } from '../signals.js';
import { list, merge, plural, span } from '../helpers.js';

export default defineRule({
  id: 'request-exceeds-packet-size',
  title: 'Request does not fit into one AJP packet (max_packet_size / ProxyIOBufferSize)',
  severity: 'warning',
  // No capture evidence: the web server refuses the request before sending anything to Tomcat, so the
  // AJP side of a capture shows nothing (an oversized packet that IS sent is packet-size-mismatch).
  concerns: ['jk:max_packet_size', 'proxy:iobuffersize', 'httpd:ProxyIOBufferSize', 'httpd:LimitRequestFieldSize', 'tomcat:packetSize'],
  needs: { logs: [jkMarshalFailed, jkCreateMessageFailed, jkLbClientFailed, httpdMarshalFailed, boncodePacketTooSmall] },
  docs: {
    summary:
      'The request headers (big cookies, Kerberos/SPNEGO Authorization tokens), query string or client certificate chain do not fit into the AJP packet (default 8192 bytes). mod_jk answers 413, mod_proxy_ajp 400; nothing reaches Tomcat.',
    remedy: [
      'mod_jk: worker.<name>.max_packet_size=65536 (1.2.19+, multiple of 1024, max 65536) AND Tomcat <Connector protocol="AJP/1.3" packetSize="65536"/> (6.0.2+) — both sides, or packet-size-mismatch follows.',
      'mod_proxy_ajp: ProxyIOBufferSize 65536 plus the same Tomcat packetSize.',
      'BonCode (IIS): <PacketSize>65536</PacketSize> in BonCodeAJP13.settings plus the same Tomcat packetSize.',
      'Also check httpd LimitRequestFieldSize and Tomcat maxHttpHeaderSize; find what makes the request big (cookies, SSLOptions +ExportCertData, JkOptions +ForwardSSLCertChain).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (max_packet_size)', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (packetSize)', 'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxyiobuffersize'],
  },
  check(ctx) {
    const jk = merge(ctx.signals(jkMarshalFailed), ctx.signals(jkCreateMessageFailed), ctx.signals(jkLbClientFailed).filter((s) => s.d.status === 413));
    const httpd = ctx.signals(httpdMarshalFailed);
    const boncode = ctx.signals(boncodePacketTooSmall);
    const all = merge(jk, httpd, boncode);
    if (!all.length) return [];
    const items = [...new Set(all.map((s) => s.d.item).filter((x) => x !== undefined).map((x) => String(x).replace(/ of length \d+$/, '')))];
    const requests = Math.max(ctx.signals(jkCreateMessageFailed).length, httpd.filter((s) => s.d.item === undefined && s.d.fn === undefined).length, 1);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `${plural(requests, 'request')}${span(all)} did not fit into one AJP packet${items.length ? `; the part that no longer fitted: ${list(items.slice(0, 4))}` : ''}. ${boncode.length ? ` BonCode's limit was ${boncode.find((b) => b.d.max)?.d.max ?? 'the default'} bytes (PacketSize in BonCodeAJP13.settings).` : ''} The client got ${jk.length ? '413' : boncode.length ? 'an error from the connector' : '400'} and Tomcat never saw the request.`,
        evidence: all,
      }),
    ];
  },
});
