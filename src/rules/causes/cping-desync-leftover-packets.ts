import { defineRule, type Signal } from '../types.js';
import { jkCpongUnexpected, jkLingering, jkNoEndResponse, jkPrepostCpingFailure, jkVersion, httpdCpongUnexpected, jkClientReadError, jkClientWriteError, jkLbClientFailed } from '../signals.js';
import { ajpTypeName, around, byWorker, compareVersions, distinct, groupBy, list, merge, plural, MINUTE } from '../helpers.js';

/** `awaited reply cpong, received N instead` source line → JK releases (jk-message-history, catalog §2.12). */
const CPONG_LINE_VERSIONS: Record<number, string> = {
  839: '1.2.16', 840: '1.2.17–1.2.18 or 1.2.24–1.2.25', 821: '1.2.19', 822: '1.2.20', 825: '1.2.21–1.2.23', 831: '1.2.26',
  883: '1.2.27–1.2.28', 906: '1.2.29–1.2.31', 956: '1.2.32', 938: '1.2.33–1.2.35', 941: '1.2.36–1.2.37', 965: '1.2.38–1.2.40',
  1010: '1.2.41–1.2.43', 1007: '1.2.44–1.2.46', 1006: '1.2.47–1.2.48', 1034: '1.2.49–1.2.50',
};

export default defineRule({
  id: 'cping-desync-leftover-packets',
  title: 'CPing answered with a stale packet of a previous exchange',
  severity: 'error',
  // once the two sides disagree on where a packet starts, body bytes are read as headers: the
  // "wrong message size" / bad signature lines that follow are this desync, not a packet size setting
  explains: ['packet-size-mismatch'],
  needs: {
    logs: [jkCpongUnexpected, httpdCpongUnexpected, jkLingering, jkNoEndResponse, jkPrepostCpingFailure, jkVersion, jkClientReadError, jkClientWriteError, jkLbClientFailed],
    capture: ['cpong-expected'],
    debug: 'Shutdown socket … and read N lingering bytes (N > 0 = unread packets of the aborted exchange)',
  },
  docs: {
    summary:
      'The web server sent a CPing on a pooled connection and got a packet left over from an earlier request (3 SEND_BODY_CHUNK, 4 SEND_HEADERS, 5 END_RESPONSE, 6 GET_BODY_CHUNK) instead of CPong (9): the previous exchange did not finish cleanly, typically because the client went away.',
    remedy: [
      'Upgrade mod_jk / the ISAPI redirector to 1.2.31 or later (current 1.2.50): 1.2.27 closes connections whose last packet was not END_RESPONSE, 1.2.30 tolerates one excess packet before the CPong, 1.2.31 drops late flush packets (bz 49413).',
      'Keep CPing on (workers.properties: worker.<name>.ping_mode=A, ping_timeout=10000): it is what detects the dirty connection instead of sending a real request into it.',
      'worker.<name>.recovery_options=4 (mod_jk 1.2.16+): close the backend connection on a client write error so no unread data is left behind.',
      'On the backend: make sure the application does not write after the response is complete.',
    ],
    references: [
      'https://access.redhat.com/solutions/25382',
      'https://tomcat.apache.org/connectors-doc/miscellaneous/changelog.html',
      'https://tomcat.apache.org/connectors-doc/reference/workers.html',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_handle_cping_cpong()',
      'httpd modules/proxy/ajp_utils.c ajp_handle_cping_cpong() (AH01014)',
    ],
  },
  check(ctx) {
    const jk = ctx.signals(jkCpongUnexpected);
    const httpd = ctx.signals(httpdCpongUnexpected);
    const cap = ctx.capture('cpong-expected');
    if (!jk.length && !httpd.length && !cap.length) return [];
    const lingering = ctx.signals(jkLingering).filter((s) => Number(s.d.bytes) > 0);
    const noEnd = ctx.signals(jkNoEndResponse);
    const prepost = ctx.signals(jkPrepostCpingFailure).filter((s) => s.d.errno === 0 || s.d.errno === undefined);
    const aborts = ctx.signalsOf(jkClientReadError, jkClientWriteError, jkLbClientFailed);
    const findings = [];
    const groups = groupBy<Signal>(merge(jk, httpd), (s) => byWorker(s) ?? (s.kind === 'httpd-cpong-unexpected' ? 'mod_proxy_ajp' : ''));
    // What is the same for every worker: the JK version (read or told by the source lines) and its note.
    const lines = distinct(jk, 'srcLine').map(Number).filter((n) => CPONG_LINE_VERSIONS[n]);
    const fp = lines.length ? CPONG_LINE_VERSIONS[lines[0]] : undefined;
    const version = ctx.jkVersion ?? (fp ? fp : undefined);
    const v = version === undefined ? undefined : /(?<!\d)\d+\.\d+\.\d+/.exec(version)?.[0];
    const notes: string[] = [];
    if (!ctx.jkDebug && jk.length) notes.push('raise JkLogLevel to debug to confirm: the "Shutdown socket … and read N lingering bytes" lines show how much stale data each closed connection held');
    for (const [worker, sigs] of groups) {
      const onlyRetrying = sigs.every((s) => s.d.action === 'Retrying next packet');
      // (what lies around the worker's lines is looked for only for a finding that is kept: one per
      // worker, each a look through every abort and lingering line)
      findings.push(
        ctx.findingIf({ confidence: cap.length ? 'confirmed' : 'likely', severity: onlyRetrying ? 'info' : undefined }, () => {
          const types = distinct(sigs, 'ajpType').map(ajpTypeName);
          const related = merge(
            lingering.filter((l) => around(l, sigs, 2 * MINUTE)),
            noEnd.filter((l) => around(l, sigs, 10 * MINUTE)),
            prepost.filter((l) => around(l, sigs, 5_000)),
          );
          const nearAborts = aborts.filter((a) => around(a, sigs, 10 * MINUTE));
          const parts: string[] = [
            `${plural(sigs.length, 'CPing')} on ${worker && worker !== 'mod_proxy_ajp' ? `worker ${worker}` : worker === 'mod_proxy_ajp' ? 'mod_proxy_ajp' : 'a pooled connection'} got AJP type ${list(types)} instead of CPONG (9).`,
            'The connection still held unread packets of an earlier request: the backend was still answering (or asking for request body) when the web server gave up on that exchange.',
          ];
          if (sigs.some((s) => s.d.ajpType === 6))
            parts.push('Type 6 (GET_BODY_CHUNK) means Tomcat still wanted request body of a POST that the client stopped sending.');
          if (sigs.some((s) => s.d.ajpType === 3))
            parts.push('Type 3 (SEND_BODY_CHUNK) is response data nobody read (client aborted a download), or a flush the backend sent after END_RESPONSE.');
          const relatedSet = new Set(related);
          const lb = lingering.filter((l) => relatedSet.has(l));
          if (lb.length) parts.push(`When mod_jk closed those sockets it drained ${list(lb.map((l) => `${l.d.bytes} bytes`))} of leftover data.`);
          if (nearAborts.length) parts.push(`${plural(nearAborts.length, 'client abort')} were logged around the same time.`);
          const remedy: string[] = [];
          if (version) {
            parts.push(`JK version: ${version}${ctx.jkVersion ? '' : ' (from the source line numbers)'}.`);
            if (v && compareVersions(v, '1.2.31') < 0) remedy.push(`This JK (${version}) predates the fixes: upgrade to 1.2.31 or later.`);
          }
          return {
            explanation: parts.join(' ') + (onlyRetrying ? ' JK skipped the stale packet and read the CPong ("Retrying next packet"): harmless while it stays rare.' : ''),
            evidence: [...merge(sigs, related), ...cap],
            subject: worker ? { worker } : undefined,
            notes,
            remedy,
          };
        }),
      );
    }
    if (!groups.size && cap.length)
      findings.push(
        ctx.finding({ confidence: 'confirmed', explanation: `The capture shows ${plural(cap.length, 'CPing')} answered by a packet other than CPONG.`, evidence: cap }),
      );
    return findings;
  },
});
