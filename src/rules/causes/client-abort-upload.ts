import { type SignalDef, defineRule } from '../types.js';
import { httpdClientAbort, jkClientReadError, jkCpongUnexpected, jkLbClientFailed, httpdCpongUnexpected } from '../signals.js';
import { groupBy, perRequest, plural, span, workersOf } from '../helpers.js';
import { captureSpan, framesOf, groupByField, numbers, secondsRange } from './capture-util.js';

/**
 * httpd could not read the request body from the client while forwarding it (mod_proxy_ajp.c /
 * proxy_util.c `AH01095: prefetch request body failed to %pI (%s) from %s (%s)`), with the socket status in front.
 */
const httpdPrefetchFailed: SignalDef = {
  kind: 'httpd-prefetch-body-failed',
  source: 'httpd',
  needles: ['prefetch request body failed'],
  re: /prefetch request body failed to (\S+) \(([^)]*)\) from (\S+)/,
  data: (m) => ({ backend: m[1], client: m[3] }),
};

export default defineRule({
  id: 'client-abort-upload',
  title: 'Client stopped sending the request body',
  severity: 'info',
  needs: {
    logs: [jkClientReadError, jkLbClientFailed, httpdClientAbort, jkCpongUnexpected, httpdCpongUnexpected],
    capture: ['client-abort-upload', 'body-chunk-never-sent'],
  },
  docs: {
    summary:
      'Reading the request body (POST/PUT upload) from the client failed: the client (often a mobile device on a bad network) went away or was too slow. The request fails with 400; if the backend connection is reused afterwards, the next CPing sees the unanswered GET_BODY_CHUNK (type 6). In a capture, who waits on whom decides: a GET_BODY_CHUNK from the container left unanswered until the AJP client closes is the client not sending its body (a hand-made AJP client or scanner never answers one), not a slow backend.',
    remedy: [
      'Benign per request. For large or slow uploads raise httpd Timeout / mod_reqtimeout RequestReadTimeout body=… limits.',
      'worker.<name>.recovery_options=4 closes the backend connection after client errors.',
      'On mod_jk / ISAPI older than 1.2.31 watch for "awaited reply cpong, received 6 instead" afterwards (cping-desync-leftover-packets) and upgrade.',
    ],
    references: [
      'https://access.redhat.com/solutions/25382',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_read_into_msg_buff() / ajp_process_callback() "Reading from client aborted"',
      'httpd modules/proxy/mod_proxy_ajp.c AH02822',
    ],
  },
  readings: [
    {
      signal: httpdPrefetchFailed,
      severity: 'info',
      explanation:
        'httpd could not read the request body from the client to forward it (AH01095 prefetch request body failed): the client stopped sending (left, lost its network, a slow upload that timed out) before the body was complete.',
      confirm: 'the status in front of AH01095 ((104) reset, (70007) timeout, (70014) end of file), the access log status of that request (400 / 408), and whether uploads from mobile clients dominate.',
    },
  ],
  check(ctx) {
    const direct = [
      ...ctx.signals(jkClientReadError),
      ...ctx.signals(jkLbClientFailed).filter((s) => s.d.status === 400),
      ...ctx.signals(httpdClientAbort).filter((s) => s.d.what === 'upload'),
    ].sort((a, b) => a.seq - b.seq);
    const cap = ctx.capture('client-abort-upload');
    const findings = [];
    const workers = workersOf(direct);
    for (const [worker, sigs] of groupBy(direct, (s) => workers.get(s))) {
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(perRequest(sigs).length, 'request body read', 'request body reads')} from the client failed${worker ? ` on worker ${worker}` : ''}${span(sigs)}: the client stopped sending the upload it announced.`,
          evidence: [...sigs, ...cap],
          subject: worker ? { worker } : undefined,
        }),
      );
    }
    if (!direct.length) {
      // Inferred: a CPing answered by GET_BODY_CHUNK means Tomcat still waited for the body of an earlier request.
      const inferred = [...ctx.signals(jkCpongUnexpected), ...ctx.signals(httpdCpongUnexpected)].filter((s) => s.d.ajpType === 6);
      const parts: string[] = [];
      if (cap.length)
        parts.push(
          `The capture shows the web server closing ${plural(cap.length, 'connection')} while Tomcat was still receiving a request body: the client stopped sending the upload it announced and the web server gave up on the request.`,
        );
      if (inferred.length)
        parts.push(
          `${plural(inferred.length, 'CPing')} got a GET_BODY_CHUNK (6) back: Tomcat was still asking for request body of an earlier POST on that connection, so that request's client stopped sending its body (an aborted upload) and the web server gave up on it without closing the connection.`,
        );
      if (parts.length)
        findings.push(
          ctx.finding({
            confidence: cap.length ? 'likely' : 'possible',
            explanation: parts.join(' '),
            evidence: [...inferred, ...cap],
            notes: inferred.length ? ['inferred from the stale GET_BODY_CHUNK; the log has no direct client read error line'] : undefined,
          }),
        );
    }
    // The container asked for body (GET_BODY_CHUNK) and the AJP client never sent any: who waited on
    // whom is on the wire (detect/index.ts body-chunk-never-sent), so it is never a slow backend.
    const asked = ctx.capture('body-chunk-never-sent');
    for (const [container, g] of groupByField(asked, 'container')) {
      const uris = [...new Set(g.map((c) => `${String(c.fields?.method)} ${String(c.fields?.uri)}`))].slice(0, 3);
      const waits = numbers(g, 'waitedSeconds');
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation:
            `The capture shows ${container} asking for the request body of ${plural(g.length, 'request')} (${uris.join(', ')}) with GET_BODY_CHUNK${captureSpan(g)} (${framesOf(g)}), and the AJP client never sending it: it closed the connection ${waits.length ? `${secondsRange(waits)} later` : 'instead'}. ` +
            'The container was waiting for the client, not the client for the container: this is not a slow backend. ' +
            'No Content-Length was announced, so Tomcat asks for the body when the application reads it (AjpProcessor.refillReadBuffer()) and blocks until a body packet comes. ' +
            'mod_jk and mod_proxy_ajp answer every GET_BODY_CHUNK at once (jk_ajp_common.c ajp_process_callback(); an empty packet when there is no more body), unless their own HTTP client stalls the upload; ' +
            'a client that never answers one is a hand-made AJP client or a scanner (nmap\'s AJP library gives up after its 5 s socket timeout).',
          evidence: g,
          subject: { backend: container },
        }),
      );
    }
    return findings;
  },
});
