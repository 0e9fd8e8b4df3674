import { defineRule } from '../types.js';
import { httpdClientAbort, httpdCpongUnexpected, jkClientReadError, jkClientWriteError, jkCpongUnexpected, jkLatePacket, jkLbClientFailed } from '../signals.js';
import { plural, span } from '../helpers.js';

export default defineRule({
  id: 'backend-sends-after-end-response',
  title: 'Backend writes a packet (flush) after END_RESPONSE',
  severity: 'warning',
  needs: {
    logs: [jkCpongUnexpected, httpdCpongUnexpected, jkLatePacket, jkClientReadError, jkClientWriteError, jkLbClientFailed, httpdClientAbort],
    capture: ['data-after-end-response'],
    debug: '"Ignoring flush message received while sending the request" (mod_jk 1.2.31+)',
  },
  docs: {
    summary:
      'The backend sent a SEND_BODY_CHUNK (typically an empty flush) after END_RESPONSE. The web server finds it when it next uses the connection: the CPing gets "received 3", or the next request reads a stray packet. Known from the Tomcat 6 APR AJP connector and some JBoss versions.',
    remedy: [
      'Upgrade mod_jk to 1.2.31 or later: it drops flush packets received after END_RESPONSE (bz 49413).',
      'Upgrade the Tomcat/JBoss AJP connector; as a workaround use the NIO (or BIO) AJP connector instead of APR: <Connector protocol="org.apache.coyote.ajp.AjpNioProtocol" port="8009" …/>.',
    ],
    references: [
      'https://bz.apache.org/bugzilla/show_bug.cgi?id=49413',
      'http://mail-archives.apache.org/mod_mbox/tomcat-users/201009.mbox/%3C1284398150.3184.180.camel@bdellegrazie-t500%3E',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_send_request() "Ignoring flush message"',
    ],
  },
  check(ctx) {
    const cap = ctx.capture('data-after-end-response');
    const three = [...ctx.signals(jkCpongUnexpected), ...ctx.signals(httpdCpongUnexpected)].filter((s) => s.d.ajpType === 3);
    const late = ctx.signals(jkLatePacket).filter((s) => s.d.code === 3);
    const others = [...ctx.signals(jkCpongUnexpected), ...ctx.signals(httpdCpongUnexpected)].filter((s) => s.d.ajpType !== 3);
    const aborts = ctx.signalsOf(jkClientReadError, jkClientWriteError, jkLbClientFailed, httpdClientAbort);
    if (cap.length)
      return [
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(cap.length, 'packet')} sent by the backend after END_RESPONSE on the same connection.`,
          evidence: [...cap, ...three, ...late],
        }),
      ];
    // Regular "received 3" without client aborts and without other stale types points at the backend itself.
    const logs = [...three, ...late].sort((a, b) => a.seq - b.seq);
    if (logs.length >= 3 && !aborts.length && !others.length)
      return [
        ctx.finding({
          confidence: 'possible',
          explanation: `${plural(logs.length, 'time')}${span(logs)} the web server found a SEND_BODY_CHUNK (3) waiting on a pooled connection, with no client abort and no other stale packet type logged: the backend most likely writes a flush after END_RESPONSE.`,
          evidence: logs,
          notes: ['a capture of port 8009 would confirm it: END_RESPONSE immediately followed by 41 42 00 03 03 00 00 on the same stream'],
        }),
      ];
    return [];
  },
});
