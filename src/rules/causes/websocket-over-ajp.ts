import { defineRule, type SignalDef } from '../types.js';
import { translated } from '../signals.js';

/**
 * AJP13 has no way to carry an HTTP Upgrade (no 101 Switching Protocols, no raw byte stream after the
 * response): Tomcat's AJP processor refuses it (AbstractAjpProcessor / AjpProcessor `action(UPGRADE)` →
 * `ajpprocessor.httpupgrade.notsupported`: "HTTP upgrades are not supported by this connector" 7.0.27+,
 * "… by the AJP protocol" 8.0–8.5.4, then abstractProcessor's "HTTP upgrade is not supported by this
 * protocol" (UnsupportedOperationException); translated in every Tomcat locale), and the
 * browser sees the handshake fail.
 */
const tomcatUpgradeUnsupported: SignalDef = translated({
  kind: 'tomcat-upgrade-unsupported',
  source: 'tomcat',
  needles: ['upgrade is not supported by', 'upgrades are not supported by'],
  re: /HTTP upgrades? (?:is|are) not supported by (?:the AJP protocol|this protocol|this connector)/,
}, ['ajpprocessor.httpupgrade.notsupported'], () => ({}));

/** The browser's view (Chrome's console): `Error during WebSocket handshake: Unexpected response code: N`. */
const browserWebSocketHandshake: SignalDef = {
  kind: 'browser-websocket-handshake-failed',
  source: 'httpd',
  needles: ['Error during WebSocket handshake'],
  re: /Error during WebSocket handshake: Unexpected response code: (\d{3})/,
  data: (m) => ({ status: Number(m[1]) }),
};

export default defineRule({
  id: 'websocket-over-ajp',
  title: 'WebSocket handshake sent over AJP, which cannot carry an HTTP Upgrade',
  severity: 'error',
  needs: { logs: [tomcatUpgradeUnsupported, browserWebSocketHandshake] },
  docs: {
    summary:
      'A WebSocket (HTTP Upgrade) request was forwarded to the container over AJP. AJP13 cannot switch protocols, so Tomcat refuses the upgrade ("HTTP upgrade is not supported by this protocol") and the browser\'s handshake fails (500 / 501 / 404). The WebSocket path must reach the container over HTTP.',
    remedy: [
      'httpd 2.4.47+: proxy the WebSocket path to the HTTP connector before the AJP mapping: ProxyPass /app/ws ws://tomcat:8080/app/ws upgrade=websocket (mod_proxy_wstunnel on older 2.4), and exclude it from AJP (JkUnMount /app/ws/* worker1, or order the ProxyPass lines most specific first).',
      'Or send every Upgrade request over HTTP: RewriteEngine On / RewriteCond %{HTTP:Upgrade} =websocket [NC] / RewriteRule ^/(.*) ws://tomcat:8080/$1 [P,L].',
      'Applications with a fallback transport (Atmosphere/Vaadin push, SockJS, Socket.IO) can be told to use long polling behind AJP, or to use a push URL that is proxied over HTTP.',
    ],
    references: [
      'Tomcat java/org/apache/coyote/ajp/AjpProcessor.java action(ActionCode.UPGRADE) → UnsupportedOperationException (ajpprocessor.httpupgrade.unsupported)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy_wstunnel.html',
      'https://github.com/vaadin/flow/issues/14641',
    ],
  },
  check(ctx) {
    const tomcat = ctx.signals(tomcatUpgradeUnsupported);
    const browser = ctx.signals(browserWebSocketHandshake);
    if (!tomcat.length && !browser.length) return [];
    return [
      ctx.finding({
        confidence: tomcat.length ? 'likely' : 'possible',
        explanation: tomcat.length
          ? 'The container refused an HTTP Upgrade that reached it over AJP: AJP13 cannot carry a WebSocket, so the handshake fails whatever the application does.'
          : `The browser's WebSocket handshake failed with HTTP ${browser[0].d.status}. Behind mod_jk / mod_proxy_ajp that is what an Upgrade forwarded over AJP gets (AJP13 cannot switch protocols); catalina.out of the same minute would show "HTTP upgrade is not supported by this protocol". If the WebSocket path is already proxied over ws://, look at the application instead.`,
        evidence: [...tomcat, ...browser],
      }),
    ];
  },
});
