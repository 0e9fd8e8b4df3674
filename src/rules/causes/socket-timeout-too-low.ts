import { defineRule } from '../types.js';
import { jkPartialResponse, jkReceiveError, jkSocketTimeoutSet } from '../signals.js';
import { ERRNO, merge, plural, span } from '../helpers.js';

export default defineRule({
  id: 'socket-timeout-too-low',
  title: 'socket_timeout aborts legitimate slow reads',
  severity: 'warning',
  concerns: ['jk:socket_timeout'],
  needs: { logs: [jkReceiveError, jkPartialResponse, jkSocketTimeoutSet], debug: '"timeout N set for socket=S" (socket_timeout active)' },
  docs: {
    summary:
      'worker.<name>.socket_timeout sets SO_RCVTIMEO on backend sockets: a read that waits longer fails with EAGAIN (errno 11) and counts as a backend error (not a reply timeout), putting lb members in error and cutting long downloads.',
    remedy: [
      'Remove worker.<name>.socket_timeout (or make it much longer than any response); use socket_connect_timeout (milliseconds) for connects, ping_mode=A / ping_timeout for dead connections and reply_timeout (milliseconds, per URL via JK_REPLY_TIMEOUT) for slow replies.',
      'Mind the units: socket_timeout is seconds, socket_connect_timeout milliseconds (mod_jk 1.2.44–1.2.45 read socket_connect_timeout as seconds on poll platforms, bz 62751).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html', 'https://bz.apache.org/bugzilla/show_bug.cgi?id=62751'],
  },
  check(ctx) {
    const eagain = ctx.signals(jkReceiveError).filter((s) => ERRNO.again.has(Number(s.d.errno)));
    const set = ctx.signals(jkSocketTimeoutSet);
    if (eagain.length)
      return [
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(eagain.length, 'read')} from the backend failed with EAGAIN (errno 11)${span(eagain)}: only a socket receive timeout (socket_timeout) makes a blocking read fail that way.`,
          evidence: merge(eagain, set.slice(0, 2)),
        }),
      ];
    const cut = ctx.signals(jkPartialResponse);
    if (set.length && cut.length)
      return [
        ctx.finding({
          confidence: 'possible',
          explanation: `socket_timeout is active (${String(set[0].d.timeoutMs)} ms) and ${plural(cut.length, 'response')} broke off after it had started: a slow stretch of a response longer than socket_timeout ends the read.`,
          evidence: merge(set.slice(0, 2), cut),
        }),
      ];
    return [];
  },
});
