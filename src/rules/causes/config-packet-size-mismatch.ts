import { defineRule } from '../types.js';
import { connectorPacketSize, jkPacketSize, proxyPacketSize } from '../../config/index.js';
import { backendAt, backends, connectorAt, where } from './config-util.js';

/**
 * The AJP packet size is not negotiated: each side reads and writes packets up to its own limit
 * (mod_jk jk_ajp_common.c ajp_connection_tcp_get_message "wrong message size"; mod_proxy_ajp
 * ajp_msg.c AH01081; Tomcat AjpProcessor.readMessage "Header message of length … but the packetSize
 * is only …"). Both sides must be configured to the same value.
 */
export default defineRule({
  id: 'config-packet-size-mismatch',
  title: 'Web server and Tomcat are configured with different AJP packet sizes',
  severity: 'error',
  needs: { logs: [], config: ['workers', 'httpd', 'tomcat', 'jboss', 'isapi'] },
  confirmedByIncident: ['packet-size-mismatch', 'response-header-exceeds-packet-size'],
  docs: {
    summary:
      'mod_jk max_packet_size / mod_proxy_ajp ProxyIOBufferSize (or iobuffersize=) and Tomcat packetSize (WildFly max-ajp-packet-size) differ for a worker and the connector it reaches. Tomcat larger: replies bigger than the web server accepts fail with 502 ("wrong message size", AH01081). Web server larger: big requests (long cookies) are rejected by Tomcat with 400 and the connection desynchronises. Checked per backend against the connector on its port; values as the servers round them (mod_jk: up to a multiple of 1024, 8192–65536; mod_proxy_ajp: at least 8192; Tomcat: at least 8192).',
    remedy: [
      'Set the same size on both sides, e.g. worker.<name>.max_packet_size=65536 (mod_jk ≥ 1.2.x, max 65536) or ProxyIOBufferSize 65536 (httpd 2.2+; per worker: ProxyPass … ajp://host:8009/ iobuffersize=65536) together with <Connector protocol="AJP/1.3" packetSize="65536" …/> (Tomcat 5.5.21+/6+; WildFly: <ajp-listener max-ajp-packet-size="65536"/>).',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (max_packet_size)',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (packetSize)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxyiobuffersize',
      'tomcat-connectors native/common/jk_util.c jk_get_max_packet_size; httpd modules/proxy/mod_proxy_ajp.c ap_proxy_ajp_request',
    ],
  },
  check(ctx) {
    const out = [];
    for (const b of backends(ctx.config))
      for (const connector of b.connectors) {
      const tomcat = connectorPacketSize(connector);
      if (tomcat === undefined) continue;
      const web = b.kind === 'jk' ? { size: jkPacketSize(b.worker), from: b.worker.settings.get('max_packet_size') } : proxyPacketSize(b.proxy, ctx.config.httpd);
      if (web.size === tomcat) continue;
      const webWord = b.kind === 'jk' ? 'max_packet_size' : 'ProxyIOBufferSize / iobuffersize';
      const tcWord = connector.server === 'jboss' ? 'max-ajp-packet-size' : 'packetSize';
      const bigger = tomcat > web.size ? `Tomcat's replies of more than ${web.size} bytes (big headers, body chunks up to ${tomcat - 8}) are refused by the web server (502, "wrong message size" / AH01081)` : `requests between ${tomcat} and ${web.size} bytes (long cookies, many headers) are refused by Tomcat (400, then "Invalid message received with signature 514")`;
      out.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${b.name} uses AJP packets of ${web.size} bytes (${web.from ? `${webWord} at ${where(web.from)}` : `${webWord} not set: 8192`}) but the connector on port ${b.port} (${where(connector)}) uses ${tomcat} (${connector.attrs.has(tcWord) ? tcWord : `${tcWord} not set: 8192`}): ${bigger}.`,
          evidence: [backendAt(b), ...(web.from ? [{ source: 'config' as const, path: web.from.path, line: web.from.line, text: `${web.from.key}=${web.from.value}` }] : []), connectorAt(connector, tcWord)],
          subject: { backend: `${b.host}:${b.port}`, [b.kind === 'jk' ? 'worker' : 'proxy']: b.kind === 'jk' ? b.worker.name : b.proxy.url },
          remedy: [tomcat > web.size ? (b.kind === 'jk' ? `worker.${b.worker.name}.max_packet_size=${tomcat}` : `ProxyIOBufferSize ${tomcat}`) + ` (or ${tcWord}="${web.size}" on the connector)` : `${tcWord}="${web.size}" on the connector at ${where(connector)}` + (b.kind === 'jk' ? ` (or worker.${b.worker.name}.max_packet_size=${tomcat})` : '')],
        }),
      );
      }
    return out;
  },
});
