import { defineRule, type Signal, type SignalDef } from '../types.js';

/**
 * .NET socket errors of an IIS connector (BonCode) reading from Tomcat: `Unable to read data from the
 * transport connection: An established connection was aborted by the software in your host machine`
 * (WSAECONNABORTED 10053) / `An existing connection was forcibly closed by the remote host` (10054).
 */
const dotnetReadAborted: SignalDef = {
  kind: 'dotnet-read-aborted',
  source: 'jk',
  needles: ['Unable to read data from the transport connection'],
  re: /Unable to read data from the transport connection: (An established connection was aborted|An existing connection was forcibly closed)/,
  data: (m) => ({ how: m[1].startsWith('An established') ? 'aborted' : 'reset' }),
};
import { httpdReadHeaderFailed, httpdReadResponseFailed, httpdReceiveHeader, httpdSendFailed, jkAttemptFailed, jkEndpointsDisconnected, jkForcedClose, jkSendFailed } from '../signals.js';
import { refusalsInOrder, refusalSignals } from '../shared.js';
import { ERRNO, merge, nextWithin, plural, precededBy, span, MINUTE, SECOND } from '../helpers.js';

export default defineRule({
  id: 'backend-idle-close-race',
  title: 'Tomcat closes idle AJP connections that the web server still reuses',
  severity: 'warning',
  concerns: ['jk:connection_pool_timeout', 'proxy:ttl', 'tomcat:keepAliveTimeout', 'tomcat:connectionTimeout'],
  needs: {
    logs: [jkForcedClose, jkEndpointsDisconnected, jkSendFailed, jkAttemptFailed, httpdReceiveHeader, httpdReadResponseFailed, httpdSendFailed, ...refusalSignals],
    capture: ['backend-idle-close'],
    debug: '"socket N is not connected any more" / "no usable connection found … detected by connect check (N)" (connect-check detections)',
  },
  docs: {
    summary:
      'Tomcat closes AJP connections after keepAliveTimeout / connectionTimeout of idleness, while mod_jk (connection_pool_timeout unset or longer) or mod_proxy (no ttl) still keeps them in the pool. A request sent on such a connection meets EOF and is retried on a new one; visible when the close races with reuse.',
    remedy: [
      'workers.properties: worker.<name>.connection_pool_timeout=<seconds> equal to or slightly below the Tomcat idle timeout, e.g. connection_pool_timeout=600 with <Connector protocol="AJP/1.3" keepAliveTimeout="600000"/> (or connectionTimeout when keepAliveTimeout is unset; milliseconds).',
      'worker.<name>.ping_mode=A so a dead pooled connection is found by the CPing, not by the request.',
      'mod_proxy_ajp: ProxyPass … ajp://host:8009/ ttl=<seconds below keepAliveTimeout> ping=3.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html',
      'https://github.com/uyuni-project/uyuni/pull/3417',
      'http://mail-archives.apache.org/mod_mbox/tomcat-users/200904.mbox/%3C49DA8D42.2030202@kippdata.de%3E',
    ],
  },
  readings: [
    {
      signal: httpdReadHeaderFailed,
      // AH01030 before it carries the status and is read on its own (timeout, reset, end of file)
      unless: [httpdReceiveHeader],
      explanation:
        'mod_proxy_ajp sent a request and could not read the reply header (AH00992 ajp_read_header: ajp_ilink_receive failed). Most often the backend had closed that pooled connection while it was idle (Tomcat keepAliveTimeout / connectionTimeout) and httpd reused it; a reply that took longer than the timeout, or a restarting backend, give the same line.',
      confirm: 'the status on the error_log line before it ((70014) end of file: closed; (70007) timeout: slow), whether it comes on the first request after an idle period, Tomcat\'s keepAliveTimeout and the worker\'s ttl= / ping=.',
    },
    {
      signal: dotnetReadAborted,
      explanation:
        'The IIS connector (BonCode) lost a pooled connection to Tomcat while reading from it ("Unable to read data from the transport connection"). With connection pooling that is Tomcat closing the idle connection (connectionTimeout / keepAliveTimeout of the AJP connector) while IIS still reused it; a Tomcat restart or a firewall between them gives the same error.',
      confirm: 'whether it happens on the first request after a quiet period, Tomcat\'s keepAliveTimeout / connectionTimeout on the AJP connector and BonCode\'s MaxConnections / pooling settings.',
    },
    {
      signal: httpdReceiveHeader,
      when: (d) => d.apr === 70014,
      explanation:
        'The backend closed the connection before any reply header came (AH01030 with (70014) End of file found). On a pooled connection that is the backend closing it when idle (Tomcat keepAliveTimeout / connectionTimeout) while httpd reused it; a backend restart gives the same line.',
      confirm: 'whether it happens on the first request after an idle period, Tomcat\'s keepAliveTimeout / connectionTimeout on the AJP connector and httpd\'s ttl= on the worker.',
    },
  ],
  check(ctx) {
    const refusals = refusalsInOrder(ctx);
    const duringRestart = (s: Signal): boolean => !!(nextWithin(s, refusals, MINUTE) ?? precededBy(s, refusals, MINUTE));
    const forced = ctx.signals(jkForcedClose).filter((s) => s.d.part !== 'body' && !duringRestart(s));
    // DEBUG-level connect-check detections are the normal, silent handling of idle closes; the INFO line (1.2.19–1.2.40) marks a race
    // (1.2.26–1.2.40 say how each was found: by the connect check or a failed send, the peer had closed
    // it; found by CPing alone (`cping (1)`), it did not answer: a timeout, not a close)
    const disconnected = ctx
      .signals(jkEndpointsDisconnected)
      .filter((s) => s.ev.level !== 'debug' && !duringRestart(s))
      .filter((s) => (s.d.cping === undefined ? s.d.state === 'disconnected' : (Number(s.d.connectCheck) > 0 || Number(s.d.send) > 0) && !Number(s.d.cping)));
    const epipe = ctx.signals(jkSendFailed).filter((s) => !duringRestart(s)).filter((s) => ERRNO.pipe.has(Number(s.d.errno)) || s.d.rc === -32);
    const headers = ctx.signals(httpdReceiveHeader);
    const eof = headers.filter((s) => s.d.apr === 70014 && !duringRestart(s));
    // 2.2 and 2.4: (120006) AJP_ENO_HEADER on "read response failed" without a timeout/reset line saying otherwise.
    const enoHeader = ctx
      .signals(httpdReadResponseFailed)
      .filter((s) => s.d.apr === 120006 && !duringRestart(s))
      .filter((s) => {
        const p = precededBy(s, headers, 2 * SECOND);
        return !p || p.d.apr === 70014;
      });
    // httpd: a send on a pooled connection that the peer had closed (AH01029 with (32) Broken pipe or a reset)
    const sendClosed = ctx.signals(httpdSendFailed).filter((s) => (ERRNO.pipe.has(Number(s.d.apr)) || ERRNO.reset.has(Number(s.d.apr))) && !duringRestart(s));
    const all = merge(forced, disconnected, epipe, eof, enoHeader, sendClosed);
    // The capture's "container closed an idle pooled connection" is Tomcat's normal keepAliveTimeout at work;
    // it supports a race the logs show, it is not one by itself.
    const cap = all.length ? ctx.capture('backend-idle-close') : [];
    if (!all.length) return [];
    const retries = ctx.signals(jkAttemptFailed);
    const retried = all.filter((s) => nextWithin(s, retries, 5 * SECOND));
    const parts: string[] = [];
    if (forced.length) parts.push(`${plural(forced.length, 'request')} found the pooled connection already closed by Tomcat ("has forced a connection close")${span(forced)}.`);
    if (disconnected.length) parts.push(`mod_jk found ${plural(disconnected.length, 'time')} that the pooled connections had been closed by the peer ("all endpoints are disconnected" / connect check).`);
    if (epipe.length) parts.push(`${plural(epipe.length, 'send')} on a pooled connection failed with EPIPE (32): the backend had closed it.`);
    if (sendClosed.length) parts.push(`httpd's send of ${plural(sendClosed.length, 'request')} on a pooled connection failed (AH01029 ajp_ilink_send, ${[...new Set(sendClosed.map((s) => `(${String(s.d.apr)})`))].join(', ')})${span(sendClosed)}: the backend had closed it.`);
    if (eof.length) parts.push(`httpd read EOF (70014) instead of a reply header ${plural(eof.length, 'time')} (AH01030).`);
    if (enoHeader.length) parts.push(`httpd could not read any reply header (120006 AJP_ENO_HEADER) ${plural(enoHeader.length, 'time')}: the backend closed the reused connection (or, less likely, the read timed out).`);
    if (retried.length) parts.push('mod_jk retried those requests on a new connection.');
    parts.push('Tomcat closes AJP connections idle longer than keepAliveTimeout/connectionTimeout while the web server keeps them pooled longer.');
    const notes: string[] = [];
    if (!ctx.jkDebug && (forced.length || disconnected.length || epipe.length))
      notes.push('raise JkLogLevel to debug to confirm: connect-check detections ("socket N is not connected any more") of idle-closed connections are only logged at debug');
    return [
      ctx.finding({
        confidence: forced.length || disconnected.length || eof.length ? (cap.length ? 'confirmed' : 'likely') : 'possible',
        explanation: parts.join(' '),
        evidence: [...merge(all, retried.map((s) => nextWithin(s, retries, 5 * SECOND)!)), ...cap],
        notes,
      }),
    ];
  },
});
