import { defineRule, type SignalDef } from '../types.js';

/**
 * mod_cluster's container side (ModClusterService / the undertow or jboss web mod_cluster subsystem)
 * must open HTTP connections to httpd's MCMP port (mod_manager, usually 6666) to send INFO, CONFIG,
 * STATUS: when it cannot, the node never registers (or is dropped) and httpd routes nothing to it.
 *   mod_cluster 1.2.x: `MODCLUSTER000043: Failed to send %s to %s` (sendFailed, with the IOException:
 *   nothing answered), 1.3.x to main `Failed to send %s command to %s: %s` (the IOException's
 *   message as the last %s: `Connection refused`, `connect timed out`), and `MODCLUSTER000042: Error %s sending %s command to %s, configuration will be
 *   reset: %s` (recoverableErrorResponse: an answer other than 200, the first %s its `Type` header);
 *   mod_cluster 1.0/1.1: `IO error sending command %s to proxy %s`, `Error sending %s command to %s`.
 * A MODCLUSTER000042 with a type (`Error MEM sending STATUS`) is mod_manager's own answer: the proxy
 * was reached, and its error is the mcmp-* rules' (DefaultMCMPHandler.sendRequest reads the type from
 * the 500 mod_manager sends). Only `Error null` (an answer without a type, from something that is not
 * mod_manager, or none read) is read here.
 */
const mcmpSendFailed: SignalDef = {
  kind: 'modcluster-send-failed',
  source: 'tomcat',
  needles: ['MODCLUSTER000042', 'MODCLUSTER000043', 'IO error sending command', 'command to proxy', 'Error sending '],
  re: /MODCLUSTER000042: Error (\S+) sending (\w+) command to (\S+?),? |IO error sending command (\w+) to proxy (\S+)|Error sending (\w+) command to (\S+)|MODCLUSTER000043: Failed to send ([\w-]+)(?: command)? to (\S+?)(?::?[ \t]+([^\r\n]*)|:?(?=[\r\n]|$))/,
  data: (m) => ({ error: m[1], command: m[2] ?? m[4] ?? m[6] ?? m[8], proxy: m[3] ?? m[5] ?? m[7] ?? m[9], reason: m[10]?.trim() }),
};

export default defineRule({
  id: 'mod-cluster-proxy-unreachable',
  title: 'The node cannot send mod_cluster MCMP to httpd (proxy unreachable)',
  severity: 'error',
  needs: { logs: [mcmpSendFailed], capture: [] },
  docs: {
    summary:
      "The application server's mod_cluster could not send its MCMP messages (INFO, CONFIG, STATUS) to httpd's mod_manager port: nothing listens there, a firewall or another network interface is in the way, or httpd refuses the source address. The node is then unknown to (or dropped by) the balancer and gets no requests.",
    remedy: [
      'httpd: a VirtualHost on the MCMP port with EnableMCMPReceive (mod_cluster 1.3 / mod_proxy_cluster), bound to the address the nodes reach: Listen 10.0.0.5:6666 / <VirtualHost 10.0.0.5:6666> EnableMCMPReceive, and Require ip <nodes network> in its <Location />.',
      'Node side: the proxy list must name that address and port (WildFly: /subsystem=modcluster/proxy=default:write-attribute(name=proxies, value=[…]) with outbound-socket-binding; Tomcat: <Listener className="org.jboss.modcluster.container.catalina.standalone.ModClusterListener" proxyList="10.0.0.5:6666"/>), or advertise must reach it (AdvertiseGroup / ServerAdvertise on).',
      'Check from the node: curl -v http://10.0.0.5:6666/ (expect an answer from httpd, not a timeout), and the firewall between them (TCP 6666 both ways).',
    ],
    references: [
      'https://docs.modcluster.io/ (proxyList, advertise, EnableMCMPReceive)',
      'mod_cluster core/src/main/java/org/jboss/modcluster/mcmp/impl/DefaultMCMPHandler.java sendRequest (MODCLUSTER000042, MODCLUSTER000043)',
      'https://github.com/modcluster/mod_cluster/issues/355',
    ],
  },
  check(ctx) {
    // (a typed answer, `Error MEM`, is mod_manager's: reached)
    const s = ctx.signals(mcmpSendFailed).filter((x) => typeof x.d.error !== 'string' || !/^[A-Z]+$/.test(x.d.error) || x.d.error === 'IO');
    if (!s.length) return [];
    const proxies = [...new Set(s.map((x) => x.d.proxy).filter(Boolean))];
    // the IOException's message (1.3.x and later put it on the line): what the connect met
    const reasons = [...new Set(s.map((x) => x.d.reason).filter((r): r is string => typeof r === 'string' && r !== ''))];
    const said = reasons.join(' ');
    const meaning = /refused/i.test(said)
      ? ' Connection refused: the address answered but nothing listens on that port (httpd down, or its MCMP VirtualHost on another port or address).'
      : /timed out|No route to host|unreachable/i.test(said)
        ? ' The connect got no answer: a firewall drops it, or the address is not reachable from the node (another network, the wrong interface).'
        : '';
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `mod_cluster on the node failed to send ${[...new Set(s.map((x) => x.d.command))].join('/')} to ${proxies.join(', ') || 'the proxy'}${reasons.length ? ` (${reasons.slice(0, 3).join('; ')})` : ''}: the node cannot reach httpd's MCMP port, so httpd does not know it (or resets its configuration) and sends it no requests.${meaning}`,
        evidence: s,
        subject: proxies.length ? { proxy: String(proxies[0]) } : {},
      }),
    ];
  },
});
