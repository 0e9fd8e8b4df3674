import { defineRule, type SignalDef } from '../types.js';

/**
 * GlassFish and Payara speak AJP through Grizzly's own implementation (com.sun.grizzly.http.ajp in
 * GlassFish 3.x / Grizzly 1.9, org.glassfish.grizzly.http.ajp in Grizzly 2.x+), not Tomcat's. Its
 * known defects show as exceptions thrown from those classes (AjpHandlerFilter, AjpInputBuffer,
 * AjpProcessorTask, AjpHttpResponse): an NPE when encoding a response over 8 KB (Grizzly < 3.0.1),
 * no recovery after one bad packet (`Invalid packet magic number`), whole streamed responses
 * buffered in memory (GRIZZLY-1787, < 2.3.22).
 */
const grizzlyAjpException: SignalDef = {
  kind: 'grizzly-ajp-exception',
  source: 'tomcat',
  needles: ['grizzly.http.ajp.', 'Invalid packet magic number', 'jk-connector('],
  re: /(?:com\.sun|org\.glassfish)\.grizzly\.http\.ajp\.(\w+)|Invalid packet magic number|_ThreadName=jk-connector\(\d+\)[\s\S]*?(OutOfMemoryError)/,
  data: (m) => ({ where: m[1] ?? (m[2] ? 'jk-connector' : 'AjpInputBuffer') }),
};

export default defineRule({
  id: 'grizzly-ajp-defect',
  title: "A defect of GlassFish/Payara's Grizzly AJP implementation",
  severity: 'error',
  needs: { logs: [grizzlyAjpException] },
  docs: {
    summary:
      "GlassFish and Payara implement AJP in Grizzly, not with Tomcat's connector. Exceptions thrown from Grizzly's AJP classes (AjpHandlerFilter, AjpInputBuffer, AjpProcessorTask, AjpHttpResponse) are known Grizzly defects: NullPointerException encoding responses over 8 KB, no recovery after one bad packet, streamed responses buffered whole in memory until OutOfMemoryError.",
    remedy: [
      'Upgrade the server to a build with the fixed Grizzly: Grizzly 3.0.1+ (GlassFish 6.2+) for the NPE in AjpHandlerFilter.encodeHttpPacket on responses over 8192 bytes; Grizzly 2.3.22+ (Payara 4.1.153+) for streamed AJP responses buffered in memory (GRIZZLY-1787).',
      'Until then: keep the AJP listener (jk-enabled="true" network-listener) reachable only by the web server (one bad packet from another client breaks Grizzly 1.9 connections), or proxy over HTTP to the http-listener instead of AJP.',
      "Match packet sizes: the listener's AJP packet size and mod_jk's worker.<name>.max_packet_size / ProxyIOBufferSize.",
    ],
    references: [
      'https://github.com/eclipse-ee4j/glassfish/issues/22295 (AjpHandlerFilter NPE, Grizzly 3.0.1)',
      'https://github.com/payara/Payara/issues/350 (GRIZZLY-1787, Grizzly 2.3.22)',
      'https://github.com/eclipse-ee4j/glassfish-grizzly/issues/1340 (Invalid packet magic number)',
    ],
  },
  check(ctx) {
    const s = ctx.signals(grizzlyAjpException);
    if (!s.length) return [];
    const where = [...new Set(s.map((x) => String(x.d.where)))];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `The container's AJP implementation is Grizzly's (GlassFish / Payara), and it threw from its own AJP code (${where.join(', ')}): a known class of Grizzly defects, fixed in later Grizzly releases, not a web-server misconfiguration.`,
        evidence: s,
      }),
    ];
  },
});
