import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { intValue, jkPacketSize, lastDirective, proxyPacketSize } from '../../config/index.js';
import { backends, where } from './config-util.js';

/**
 * httpd accepts request header fields up to LimitRequestFieldSize (default 8190) and request lines
 * up to LimitRequestLine (8190); the AJP FORWARD_REQUEST must carry all of them in one packet of
 * max_packet_size / the mod_proxy_ajp buffer. A raised httpd limit with the AJP default lets requests
 * in that the AJP module cannot forward: mod_jk "failed appending the header value … check
 * max_packet_size" → 413 or 500; mod_proxy_ajp AH00987/AH01001 "ajp_marshal_into_msgb: Error
 * appending the header value" → 400/500.
 */
export default defineRule({
  id: 'config-header-exceeds-packet',
  title: 'httpd accepts request headers bigger than the AJP packet can carry',
  severity: 'warning',
  needs: { logs: [], config: ['httpd'] },
  confirmedByIncident: ['request-exceeds-packet-size'],
  docs: {
    summary:
      'LimitRequestFieldSize (or LimitRequestLine) is raised above the AJP packet size of a mod_jk worker (max_packet_size, default 8192) or a mod_proxy_ajp URL (ProxyIOBufferSize / iobuffersize, default 8192): a request with a header that big (a long cookie, a SAML or JWT header) passes httpd but cannot be packed into the FORWARD_REQUEST; mod_jk answers 413/500 ("failed appending the header value … check max_packet_size"), mod_proxy_ajp 400/500 (AH00987).',
    remedy: [
      'Raise the AJP packet size on both sides to cover the largest accepted header plus the rest of the request: worker.<name>.max_packet_size=65536 / ProxyIOBufferSize 65536 and <Connector protocol="AJP/1.3" packetSize="65536"/>; or keep LimitRequestFieldSize below the packet size.',
    ],
    references: [
      'https://httpd.apache.org/docs/2.4/mod/core.html#limitrequestfieldsize',
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (max_packet_size)',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_marshal_into_msgb',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const limits = ['LimitRequestFieldSize', 'LimitRequestLine'].map((n) => lastDirective(ctx.config.httpd, n)).filter((d) => d !== undefined);
    for (const d of limits) {
      const limit = intValue(d.args[0]);
      if (limit === undefined) continue;
      for (const b of backends(ctx.config)) {
        const size = b.kind === 'jk' ? jkPacketSize(b.worker) : proxyPacketSize(b.proxy, ctx.config.httpd).size;
        // The FORWARD_REQUEST carries method, protocol, URI, addresses and the other headers too: a field of the packet's size cannot fit.
        // At 65536 the packet is as large as AJP allows: nothing more to raise on this side.
        if (limit < size || size >= 65536) continue;
        out.push(
          ctx.finding({
            confidence: 'likely',
            explanation: `${d.name} ${limit} (${where(d)}) lets requests with a ${d.name === 'LimitRequestLine' ? 'request line' : 'header field'} of up to ${limit} bytes in, but ${b.name} packs a request into AJP packets of ${size} bytes: such requests fail with 413/500 (mod_jk) or 400/500 (mod_proxy_ajp) instead of reaching Tomcat.`,
            evidence: [{ source: 'config', path: d.path, line: d.line, text: `${d.name} ${d.args.join(' ')}` }, b.kind === 'jk' ? { source: 'config', path: b.worker.path, line: b.worker.settings.get('max_packet_size')?.line ?? b.worker.line, text: `worker.${b.worker.name}.max_packet_size=${b.worker.settings.get('max_packet_size')?.value ?? '(not set: 8192)'}` } : { source: 'config', path: b.proxy.path, line: b.proxy.line, text: `${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url}`.replace(/\s+/g, ' ') }],
            subject: b.kind === 'jk' ? { worker: b.worker.name } : { proxy: b.proxy.url },
            remedy: [b.kind === 'jk' ? `worker.${b.worker.name}.max_packet_size=65536 and packetSize="65536" on the Tomcat connector` : 'ProxyIOBufferSize 65536 and packetSize="65536" on the Tomcat connector'],
          }),
        );
      }
    }
    return out;
  },
});
