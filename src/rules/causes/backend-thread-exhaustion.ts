import { defineRule } from '../types.js';
import {
  httpdBalancerAllError,
  httpdReadResponseFailed,
  jkConnectCpingFailure,
  jkCpongTimeout,
  jkForcedClose,
  jkNoResponseYet,
  jkReceiveError,
  jkServiceFailed,
  jkWrongFormat,
  jkWrongSize,
  httpdCpingFailed,
  tomcatThreadsFull,
} from '../signals.js';
import { inRestartWindow, refusalsInOrder, refusalSignals } from '../shared.js';
import type { Finding } from '../finding.js';
import { captureSpan, framesOf, groupByField, inBursts, numbers, secondsRange } from './capture-util.js';
import { around, byWorker, countWithin, distinct, gapMs, groupBy, merge, nextWithin, plural, precededBy, span, withRepeat, MINUTE, SECOND } from '../helpers.js';

export default defineRule({
  id: 'backend-thread-exhaustion',
  title: 'Tomcat has no free AJP thread (or connection slot)',
  severity: 'error',
  concerns: ['tomcat:maxThreads', 'tomcat:maxConnections', 'httpd:MaxRequestWorkers', 'httpd:ThreadsPerChild', 'jk:ping_timeout'],
  needs: {
    logs: [tomcatThreadsFull, jkConnectCpingFailure, httpdCpingFailed, jkCpongTimeout, jkNoResponseYet, jkServiceFailed, jkForcedClose, jkReceiveError, jkWrongFormat, jkWrongSize, httpdReadResponseFailed, httpdBalancerAllError, ...refusalSignals],
    capture: ['cping-timeout'],
  },
  docs: {
    summary:
      'Tomcat accepts the TCP connection (the kernel queues it in the acceptCount backlog) but no AJP thread reads it: all maxThreads / maxConnections are busy, e.g. because the web servers together can open more connections than Tomcat has threads, the BIO connector holds one thread per idle persistent connection, or a slow dependency makes requests pile up. CPings and replies time out on many connections at once.',
    remedy: [
      'Size both sides together: Tomcat <Connector protocol="AJP/1.3" maxThreads="…" maxConnections="…"/> at least the sum of httpd MaxRequestWorkers (MaxClients in 2.2) of all web servers that use it, or lower MaxRequestWorkers.',
      'Tomcat ≤ 8.0 BIO: switch to protocol="org.apache.coyote.ajp.AjpNioProtocol", and set keepAliveTimeout / connectionTimeout with a matching worker.<name>.connection_pool_timeout.',
      'mod_jk: ping_mode=A, socket_connect_timeout, reply_timeout so requests fail fast instead of hanging; lb busy_limit (1.2.41+). mod_proxy_ajp: ping=, timeout=.',
      'Take a thread dump (jstack) during the incident: all ajp-*-exec threads busy in application code / DB, or idle in socketRead0 (BIO).',
    ],
    references: [
      'http://javaworkbench.blogspot.com/2013/09/apache-web-server-tomcat-ajp.html',
      'https://linux.uits.uconn.edu/2014/09/18/when-tomcat-stops-responding-to-apache/',
      'https://knowledge.broadcom.com/external/article/247520/access-gateways-refuses-connection-tomca.html',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html',
      'https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html',
    ],
  },
  readings: [
    {
      // jk_ajp_common.c ajp_get_reply: logged whenever the reply header could not be read after the
      // request was sent (the wording says "refused" for any failure); Broadcom KB 247520 (E21):
      // the backend out of threads.
      signal: jkNoResponseYet,
      unless: [jkReceiveError, jkWrongFormat, jkWrongSize, jkCpongTimeout, jkForcedClose],
      explanation:
        'mod_jk sent the request but got no reply header from the backend ("Tomcat is down or refused connection. No response has been sent to the client (yet)": its words for any failure to read the reply, not only a refusal). With nothing else logged, the backend most often accepted the connection and no thread answered (all AJP threads busy); the line mod_jk logs just before it at info, from the same pid:tid, says otherwise when it is something else: errno 104 / 110 on "can\'t receive the response header" (a pooled connection reset or dropped), "wrong message format" (not an AJP port), "Timeout with waiting reply" (reply_timeout).',
      confirm: 'the mod_jk.log lines of the same pid:tid just before it (JkLogLevel info), a thread dump of Tomcat (jstack) at that time, and its AJP connector\'s maxThreads against httpd\'s MaxRequestWorkers.',
    },
  ],
  check(ctx) {
    const findings: Finding[] = [];
    // During a restart Tomcat is bound before its threads run: connect-CPings fail then too (backend-restart).
    const connectCping = ctx.signals(jkConnectCpingFailure).filter((s) => !inRestartWindow(ctx, s));
    const cpongTimeouts = ctx.signals(jkCpongTimeout);
    const crowdedCpong = countWithin(cpongTimeouts, { n: 5, windowMs: MINUTE, key: byWorker }).filter((c) => distinct(c.signals, 'socket').length >= 3);
    if (connectCping.length || crowdedCpong.length) {
      const parts: string[] = [];
      if (connectCping.length) parts.push(`${plural(connectCping.length, 'freshly opened connection')} did not answer the CPing${span(connectCping)}: Tomcat accepted the TCP connection but no thread served it.`);
      for (const c of crowdedCpong) parts.push(`${plural(c.signals.length, 'CPing')} on ${distinct(c.signals, 'socket').length} different sockets of worker ${c.key || '?'} timed out${span(c.signals)}.`);
      findings.push(ctx.finding({ confidence: connectCping.length ? 'likely' : 'possible', explanation: parts.join(' '), evidence: merge(connectCping, ...crowdedCpong.map((c) => c.signals)) }));
    }
    // mod_proxy_ajp: CPing timeouts (70007) on new connections too — the retry failed as well.
    const proxyCping = ctx.signals(httpdCpingFailed).filter((s) => s.d.what === 'AH00897' && s.d.apr === 70007 && !inRestartWindow(ctx, s));
    const proxyRepeated = withRepeat(proxyCping, 10 * SECOND, (s) => s.d.backend);
    if (proxyRepeated.length)
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `mod_proxy_ajp's CPing to ${String(proxyRepeated[0].d.backend)} timed out ${plural(proxyRepeated.length, 'time')}${span(proxyRepeated)}, on the retry's new connection as well: the backend accepts connections but no thread answers.`,
          evidence: proxyRepeated,
          subject: { backend: String(proxyRepeated[0].d.backend) },
        }),
      );
    // httpd: (70007) on "read response failed" = no reply header within ProxyTimeout.
    const noHeader = ctx.signals(httpdReadResponseFailed).filter((s) => s.d.phase === 'headers' && s.d.apr === 70007);
    if (noHeader.length) {
      const balancer = ctx.signals(httpdBalancerAllError).filter((b) => precededBy(b, noHeader, 5 * MINUTE) || nextWithin(b, noHeader, 5 * MINUTE));
      const many = noHeader.length >= 5;
      findings.push(
        ctx.finding({
          confidence: many || balancer.length ? 'likely' : 'possible',
          explanation:
            `${plural(noHeader.length, 'request')} got no reply header from the backend within the proxy timeout (70007)${span(noHeader)}: the backend accepted the request but no thread answered.` +
            (balancer.length ? ' The balancer then had no usable member.' : '') +
            (many ? '' : ' A single slow URL (slow-backend-reply-timeout) looks the same; many at once point at exhausted threads.'),
          evidence: merge(noHeader, balancer),
          notes: ['check Tomcat maxThreads / maxConnections / acceptCount against httpd MaxRequestWorkers, and netstat -tan | grep 8009 (ESTABLISHED + CLOSE_WAIT) during the incident'],
        }),
      );
    }
    // JK: final failures after "Tomcat is down or refused connection" with no refusal, EOF, bad magic or reset to explain them.
    const explained = merge(
      refusalsInOrder(ctx),
      ctx.signals(jkForcedClose),
      ctx.signals(jkWrongFormat),
      ctx.signals(jkWrongSize),
      ctx.signals(jkReceiveError),
      ctx.signals(jkCpongTimeout),
    );
    const noReply = ctx.signals(jkNoResponseYet).filter((s) => !precededBy(s, explained, 5 * SECOND) && !nextWithin(s, explained, SECOND));
    const finals = ctx.signals(jkServiceFailed).filter((f) => precededBy(f, noReply, 30 * SECOND));
    if (finals.length) {
      for (const [worker, g] of groupBy(merge(noReply.filter((s) => nextWithin(s, finals, 30 * SECOND)), finals), byWorker)) {
        const dur = gapMs(g[0], g[g.length - 1]);
        findings.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `Requests on worker ${worker || '?'} failed because no reply came from the backend ("Tomcat is down or refused connection" then "connecting to tomcat failed")${span(g)}, with no refused connect, reset or protocol error logged: the backend accepted but did not answer — saturated (threads) or stalled.${dur !== undefined && dur > MINUTE ? ' It lasted over a minute.' : ''}`,
            evidence: g,
            subject: worker ? { worker } : undefined,
            notes: ctx.jkDebug ? [] : ['raise JkLogLevel to debug to see the socket-level reason (timeout vs. EOF) before "Tomcat is down or refused connection"'],
          }),
        );
      }
    }
    // Capture: new connections accepted by TCP whose CPING got no CPONG before the web server gave up
    // (detect/timeouts.ts), outside a restart (while Tomcat starts it is bound before its threads run).
    const cap = ctx.capture('cping-timeout').filter((c) => c.fields?.duringRestart !== true && c.fields?.fresh === true);
    for (const [container, g] of groupByField(cap, 'container')) {
      const burst = inBursts(g, 10);
      const late = g.filter((c) => c.fields?.lateCpong === true);
      const waits = numbers(g, 'waitedSeconds');
      const parts = [
        `The capture shows ${plural(g.length, 'new connection')} to ${container} that TCP accepted (SYN/ACK) but whose CPING got no CPONG before the web server gave up and closed${waits.length ? ` (after ${secondsRange(waits)})` : ''}${captureSpan(g)} (${framesOf(g)}): the connector accepted the connection, no thread read from it.`,
      ];
      if (late.length) parts.push(`${plural(late.length, 'CPONG')} came later, on connections the web server had already closed (answered with RST): Tomcat was alive, just without a free thread.`);
      if (burst.length >= 2) parts.push(`${burst.length === g.length ? 'All' : String(burst.length)} of them fell within seconds of each other: many requests at once found no thread.`);
      const logged = findings.find((f) => f.confidence === 'likely');
      if (logged) {
        logged.evidence.push(...g.slice(0, 3));
        continue;
      }
      findings.push(
        ctx.finding({
          confidence: burst.length >= 2 ? 'likely' : 'possible',
          explanation: parts.join(' '),
          evidence: g,
          subject: { backend: container },
          notes: [
            'a long GC pause looks the same on the wire (jvm-gc-pause): check the GC log for a pause at that time',
            'check Tomcat maxThreads / maxConnections against httpd MaxRequestWorkers; a thread dump (jstack) during the incident shows what the ajp-*-exec threads do',
          ],
        }),
      );
    }
    // Tomcat said so itself (5.5/6: the pool is full; 7.0+ endpoints log nothing when full).
    const full = ctx.signals(tomcatThreadsFull);
    if (full.length) {
      const max = full.find((x) => x.d.maxThreads !== undefined)?.d.maxThreads;
      const text = `Tomcat reported its thread pool full${max !== undefined ? ` (maxThreads ${max})` : ''}${span(full)}: every request thread was busy, so new AJP connections waited in the accept backlog and the web server's CPings and replies timed out.`;
      const own = findings[0];
      if (own) (own.evidence.push(...ctx.finding({ confidence: 'likely', explanation: '', evidence: full }).evidence), (own.confidence = 'likely'));
      else findings.push(ctx.finding({ confidence: 'likely', explanation: text, evidence: full, ...(max !== undefined ? { subject: { maxThreads: String(max) } } : {}) }));
    }
    return findings;
  },
});
