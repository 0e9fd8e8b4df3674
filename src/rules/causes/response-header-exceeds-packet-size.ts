import { defineRule, type SignalDef } from '../types.js';
import { javaInt, translated } from '../signals.js';
import { maxOf } from '../../util/append.js';

/**
 * The container's reply does not fit into one AJP packet: Tomcat builds SEND_HEADERS (status,
 * message and every response header) in one AjpMessage of packetSize bytes, and a header block
 * larger than that (huge Set-Cookie / CSP / debug headers) overflows it:
 *   Tomcat 7+: AjpMessage.checkOverflow `Overflow error for buffer adding [N] bytes at position [M]`
 *     (ajpmessage.overflow; no brackets before 8.5.15), then ArrayIndexOutOfBoundsException;
 *   Tomcat 5/6 (org.apache.jk.common.MsgAjp): `cpBytes: Buffer overflow: buffer.len=N pos=M data=D`.
 */
const tomcatMessageOverflow: SignalDef = translated({
  kind: 'tomcat-ajp-message-overflow',
  source: 'tomcat',
  needles: ['Overflow error for buffer adding', 'cpBytes: Buffer overflow'],
  re: /Overflow error for buffer adding \[?(\d[\d,.\u00a0']*)\]? bytes at position \[?(\d[\d,.\u00a0']*)\]?|cpBytes: Buffer overflow: buffer\.len=(\d+) pos=(\d+) data=(\d+)/,
  data: (m) => {
    const n = (x: string | undefined): number | undefined => (x === undefined ? undefined : Number(x.replace(/\D/g, '')));
    return { adding: n(m[1]) ?? n(m[5]), position: n(m[2]) ?? n(m[4]), packetSize: n(m[3]) };
  },
}, ['ajpmessage.overflow'], (a) => ({ adding: javaInt(a[0]), position: javaInt(a[1]) }));

export default defineRule({
  id: 'response-header-exceeds-packet-size',
  title: "The container's response headers do not fit into one AJP packet",
  severity: 'error',
  concerns: ['jk:max_packet_size', 'proxy:iobuffersize', 'httpd:ProxyIOBufferSize', 'tomcat:packetSize'],
  needs: { logs: [tomcatMessageOverflow] },
  docs: {
    summary:
      'Tomcat writes the status line and all response headers into one AJP SEND_HEADERS packet of packetSize bytes (8192 by default). When the application sets more header bytes than that (large cookies, Content-Security-Policy, debug headers), Tomcat cannot build the packet ("Overflow error for buffer adding N bytes"), the response is lost and the client gets an error from the web server.',
    remedy: [
      'Make the headers smaller in the application (fewer / shorter cookies, no debug headers), the lasting fix.',
      'Or raise the packet size on both sides to the same value (at most 65536): Tomcat <Connector protocol="AJP/1.3" packetSize="65536" …/>, mod_jk worker.<name>.max_packet_size=65536, mod_proxy_ajp ProxyIOBufferSize 65536, BonCode PacketSize in BonCodeAJP13.settings. Different sizes on the two sides give packet-size-mismatch instead.',
    ],
    references: [
      'Tomcat java/org/apache/coyote/ajp/AjpMessage.java checkOverflow() (ajpmessage.overflow), AjpProcessor.prepareResponse()',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (packetSize)',
      'https://github.com/Bilal-S/iis2tomcat/issues/63',
    ],
  },
  check(ctx) {
    const s = ctx.signals(tomcatMessageOverflow);
    if (!s.length) return [];
    const biggest = maxOf(s.map((x) => Number(x.d.adding ?? 0)));
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `Tomcat could not put ${biggest ? `${biggest} more bytes` : 'the data'} into its outgoing AJP message${s[0].d.position !== undefined ? ` (already at position ${s[0].d.position})` : ''}: the response headers are larger than the AJP packet (packetSize), so that response was lost.`,
        evidence: s,
        ...(biggest ? { subject: { bytes: String(biggest) } } : {}),
      }),
    ];
  },
});
