import { defineRule } from '../types.js';
import { attemptCount, describeBackend, refusalGroups, refusalSignals } from '../shared.js';
import { connectionsIn, ERRNO, gapMs, isLoopback, plural, precededBy, span, MINUTE, SECOND } from '../helpers.js';
import { httpdConnectFailed, httpdCpingFailed, httpdReadResponseFailed, httpdReceiveHeader, jkConnectFailed, jkServiceFailed } from '../signals.js';
import type { RuleContext, Signal, SignalDef } from '../types.js';
import type { Finding } from '../finding.js';

/**
 * A refused connect as mod_jk / httpd print it, in a line too abridged for the connect signals
 * (`(errno=111)`, `errno = 111`, httpd's `(111)Connection refused`): errno 111 is ECONNREFUSED.
 */
const refusedErrno: SignalDef = {
  kind: 'refused-errno',
  source: 'jk',
  needles: ['errno=111', 'errno = 111', '(111)Connection refused'],
  re: /errno ?= ?111\b|\(111\)Connection refused/,
};

const pidTid = (s: Signal): string | undefined => (s.ev.pid === undefined ? undefined : `${s.ev.pid}:${s.ev.tid ?? ''}`);

export default defineRule({
  id: 'backend-down-or-wrong-port',
  title: 'Nothing accepts connections on the worker host:port',
  severity: 'error',
  needs: { logs: [...refusalSignals, httpdCpingFailed, httpdReceiveHeader, httpdReadResponseFailed], capture: ['connect-refused'] },
  // where the web server connects and where Tomcat listens, side by side (a paste quoting its
  // workers.properties and <Connector>): the host / port of the worker, the connector's port and
  // address (loopback by default since 9.0.31)
  concerns: ['jk:host', 'jk:port', 'tomcat:port', 'tomcat:address'],
  docs: {
    summary:
      'Every connection attempt to the backend is refused (errno 111 ECONNREFUSED / httpd "(111)Connection refused"): Tomcat is not running, its AJP connector did not start or is disabled, or the worker points at the wrong host or port.',
    remedy: [
      'Check on the backend host that the AJP connector listens: ss -ltnp | grep 8009 (and catalina.out for "Failed to start connector" or a commented-out <Connector protocol="AJP/1.3" …>).',
      'From the web server: nc -vz <host> 8009. Align workers.properties worker.<name>.host / worker.<name>.port (or ProxyPass ajp://host:port/) with <Connector protocol="AJP/1.3" port="…" address="…"/> in the server.xml Tomcat really uses.',
      'Tomcat 9.0.31 / 8.5.51 / 7.0.100 and later: the AJP connector is commented out by default, binds to the loopback address and needs secret= (see tomcat-ajp-hardening-defaults).',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html',
      'tomcat-connectors native/common/jk_connect.c jk_open_socket(), jk_ajp_common.c ajp_send_request()',
      'httpd modules/proxy/proxy_util.c AH00957 / AH00959 / AH00940',
    ],
  },
  readings: [
    {
      signal: refusedErrno,
      unless: [httpdConnectFailed, jkConnectFailed],
      explanation:
        'A connection was refused (errno 111, ECONNREFUSED): nothing listened on the address and port the web server connected to — Tomcat down, its AJP connector not started, the wrong port, or a name (localhost) that resolved to an address family Tomcat does not listen on.',
      confirm: 'the whole line with the address it connected to, ss -ltnp | grep 8009 on the backend (which address: 127.0.0.1, ::1, 0.0.0.0), and catalina.out of the same minute.',
    },
    {
      signal: httpdConnectFailed,
      when: (d) => d.errno === undefined,
      explanation:
        'httpd could not connect to the AJP backend (AH00957 "attempt to connect … failed"). The status that httpd prints in front of the line says why and is not in the text shown: (111) Connection refused means nothing listens there (Tomcat down, its AJP connector not started, or the wrong port), (110) / (70007) a host that does not answer, (13) SELinux.',
      confirm: 'the whole error_log line with its status, ss -ltnp | grep 8009 on the backend, and catalina.out of the same minute.',
    },
    {
      signal: jkConnectFailed,
      when: (d) => d.errno === undefined,
      explanation:
        'mod_jk could not connect to the AJP backend. The errno (not in the text shown) says why: 111 nothing listens on that host:port (Tomcat down or the wrong port), 110 / 113 a host that does not answer, 13 SELinux.',
      confirm: 'the whole mod_jk.log line with its errno, ss -ltnp | grep 8009 on the backend, and catalina.out of the same minute.',
    },
    {
      // jk_ajp_common.c ajp_service: the per-request summary once the retries are spent. rc -3 is
      // JK_FATAL_ERROR from ajp_send_request: no connection could be opened, or the request not sent
      // on one (a protocol error is -11, a reply timeout -10: jk-log-catalog).
      signal: jkServiceFailed,
      when: (d) => d.rc === -3,
      unless: [jkConnectFailed, refusedErrno],
      explanation:
        'mod_jk gave up on the worker after its retries ("connecting to tomcat failed (rc=-3 …)": JK_FATAL_ERROR from ajp_send_request): it could not open a connection to the backend, or not send the request on one. The lines mod_jk logs before it at info (jk_open_socket, ajp_connect_to_endpoint) carry the errno that says why: 111 nothing listens there (Tomcat down, the wrong port), 13 permission denied (SELinux on the web server: httpd_can_network_connect, or a port not labelled for it), 110 / 113 a host that does not answer.',
      confirm: 'the mod_jk.log lines of the same pid:tid just before it (JkLogLevel info) with their errno; ss -ltnp | grep <port> on the backend; ausearch -m avc -c httpd (SELinux) on the web server.',
    },
  ],
  check(ctx) {
    const findings = [];
    const cpingFailures = ctx.signals(httpdCpingFailed);
    // backends a capture shows refusing and then serving again: what the log of their refusals does not say
    const back = new Set(ctx.capture('refused-then-served').map((c) => String(c.fields?.container ?? '?')));
    for (const g of refusalGroups(ctx)) {
      const dur = gapMs(g.signals[0], g.signals[g.signals.length - 1]);
      if (g.recovered && dur !== undefined && dur <= 10 * MINUTE) continue; // backend-restart
      const host = describeBackend(g.backend);
      const disabledOnly = g.signals.every((s) => s.kind === 'httpd-worker-disabled');
      // AH00896 "failed to make connection to backend" right after a failed CPing of the same httpd
      // thread is the CPing's consequence (mod_proxy_ajp.c proxy_ajp_handler retries, then gives up),
      // not a refused connect: mod-proxy-ajp-cping-failure / backend-thread-exhaustion explain it.
      if (disabledOnly && g.signals.every((s) => precededBy(s, cpingFailures, 2 * SECOND, pidTid) !== undefined)) continue;
      findings.push(
        ctx.finding({
          confidence: disabledOnly ? 'possible' : 'likely',
          explanation: disabledOnly
            ? `httpd had put the AJP worker for ${host} into error state after failed connects (AH00959/AH00940/AH00896; ${plural(g.signals.length, 'line')}): nothing accepted the connection when it last tried.`
            : `${plural(attemptCount(g), 'connection attempt')} to ${host || 'the backend'} ${attemptCount(g) === 1 ? 'was' : 'were'} refused${span(g.signals)}${g.cameBack || back.has(g.backend) ? ' while Tomcat was down (it was started again afterwards, see backend-restart)' : g.recovered ? '' : ', with no sign of recovery afterwards'}: nothing listened on that host:port.`,
          evidence: g.signals,
          subject: { backend: g.backend },
        }),
      );
    }
    findings.push(...resetAtOnce(ctx));
    // Capture: SYN answered by RST, grouped by the container endpoint.
    const refused = ctx.capture('connect-refused');
    const byTarget = new Map<string, typeof refused[number][]>();
    for (const c of refused) {
      const k = String(c.fields?.container ?? '?');
      let arr = byTarget.get(k);
      if (!arr) byTarget.set(k, (arr = []));
      arr.push(c);
    }
    for (const [target, cs] of byTarget) {
      const logged = findings.find((f) => f.subject?.backend === target);
      if (logged) {
        logged.evidence.push(...cs.slice(0, 3));
        logged.confidence = 'confirmed';
        continue;
      }
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(connectionsIn(cs), 'connection attempt')} to ${target} answered by RST (nothing listening on that port)${back.has(target) ? '; later connections were served again (see backend-restart)' : ''}.`,
          evidence: cs,
          subject: { backend: target },
        }),
      );
    }
    return findings;
  },
});

/** Resets read within this of each other are requests of one failure, not a pooled connection's idle close. */
const RESET_RUN = 10 * SECOND;

/**
 * Connections to a loopback backend reset before any reply header, request after request (AH01030
 * with (104) Connection reset by peer, then AH00878 `read response failed from [::1]:8009`): on the
 * web server's own host something accepts the connection and resets it at once. Docker's userland
 * proxy (docker-proxy) does so for a published port whose container has nothing listening: the
 * connect succeeds on the host, the proxy's own connect into the container is refused, and it
 * resets the client's connection (liferay-docker#37: the image's Tomcat had no AJP connector). A
 * pooled connection that Tomcat closed while idle is read as an end of file (70014, a FIN:
 * backend-idle-close-race), and does not fail requests moments apart.
 */
function resetAtOnce(ctx: RuleContext): Finding[] {
  const resets = ctx.signals(httpdReceiveHeader).filter((s) => ERRNO.reset.has(Number(s.d.apr)));
  if (resets.length < 2) return [];
  const failed = ctx.signals(httpdReadResponseFailed).filter((s) => s.d.phase === 'headers' && isLoopback(String(s.d.backend ?? '')) && precededBy(s, resets, 2 * SECOND) !== undefined);
  const backends = [...new Set(failed.map((s) => String(s.d.backend)))];
  if (backends.length !== 1) return [];
  // request after request: each reset within RESET_RUN of the one before
  for (let i = 1; i < resets.length; i++) {
    const gap = gapMs(resets[i - 1]!, resets[i]!);
    if (gap === undefined || gap > RESET_RUN) return [];
  }
  const backend = backends[0]!;
  const name = failed.find((s) => s.d.name !== undefined)?.d.name;
  return [
    ctx.finding({
      confidence: 'possible',
      explanation:
        `${plural(resets.length, 'request')}' connections to ${backend}${name ? ` (${name})` : ''} were reset before any reply header${span(resets)} (AH01030 with (104) Connection reset by peer), one request after another: on the web server's own host something accepts the connection and resets it at once. ` +
        "That is what Docker's userland proxy (docker-proxy) does for a published port whose container has nothing listening on it: the AJP connector missing, disabled or not started inside the container. A connector that is up answers; a pooled connection Tomcat closed while idle reads as an end of file (70014), not a reset.",
      evidence: [...resets, ...failed].sort((a, b) => a.seq - b.seq),
      subject: { backend },
      remedy: [
        `Check inside the container, not on the host: docker exec <container> ss -ltn (or netstat -ltn) | grep ${backend.replace(/^.*:/, '')}; an AJP <Connector> must be there (Tomcat 9.0.31+ images ship it commented out, and bound to loopback: address="0.0.0.0" inside a container).`,
      ],
    }),
  ];
}
