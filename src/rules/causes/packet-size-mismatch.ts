import { defineRule } from '../types.js';
import { httpdTooBig, jkWrongSize, tomcatHeaderTooLong, tomcatInvalidSignature } from '../signals.js';
import { list, merge, plural } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';

export default defineRule({
  id: 'packet-size-mismatch',
  title: 'max_packet_size / ProxyIOBufferSize differs from Tomcat packetSize',
  severity: 'error',
  concerns: ['jk:max_packet_size', 'proxy:iobuffersize', 'httpd:ProxyIOBufferSize', 'tomcat:packetSize', 'jboss:max-ajp-packet-size'],
  needs: { logs: [jkWrongSize, httpdTooBig, tomcatHeaderTooLong, tomcatInvalidSignature], capture: ['oversized-request-rejected', 'oversized-reply-rejected'] },
  docs: {
    summary:
      'The two sides disagree on the AJP packet size. Tomcat packetSize larger than the web server buffer: replies are rejected ("wrong message size", AH01081) → 502. Web server larger than Tomcat: big requests are rejected by Tomcat ("Header message of length … but the packetSize is only …") → 400, and the unread rest desynchronises the connection ("Invalid message received with signature 514").',
    remedy: [
      'Set the same value on both sides: worker.<name>.max_packet_size=N (mod_jk) or ProxyIOBufferSize N (httpd) and <Connector protocol="AJP/1.3" packetSize="N"/> (Tomcat), N ≤ 65536.',
    ],
    references: ['tomcat-connectors native/common/jk_ajp_common.c "wrong message size"', 'httpd modules/proxy/ajp_msg.c AH01081', 'tomcat java/org/apache/coyote/ajp/AjpProcessor.java readMessage()', 'https://github.com/Bilal-S/iis2tomcat/issues/55'],
  },
  check(ctx) {
    const webSide = merge(ctx.signals(jkWrongSize), ctx.signals(httpdTooBig));
    const tomcatSide = ctx.signals(tomcatHeaderTooLong);
    const desync = ctx.signals(tomcatInvalidSignature).filter((s) => Number(s.d.signature) === 514 || Number(s.d.signature) === 516);
    // Capture (detect/packet-size.ts): a packet over 8 KB and the receiver refusing it.
    const capReply = ctx.capture('oversized-reply-rejected');
    const capRequest = ctx.capture('oversized-request-rejected');
    const findings = [];
    if (webSide.length) {
      const sizes = [...new Set(webSide.map((s) => `${s.d.size} > ${s.d.max}`))];
      findings.push(
        ctx.finding({
          confidence: capReply.length ? 'confirmed' : 'likely',
          explanation: `${plural(webSide.length, 'reply packet')} from the backend ${webSide.length === 1 ? 'was' : 'were'} larger than the web server accepts (${list(sizes.slice(0, 3))} bytes): Tomcat packetSize is bigger than max_packet_size / ProxyIOBufferSize.`,
          evidence: [...webSide, ...capReply],
        }),
      );
    }
    if (tomcatSide.length || desync.length) {
      const sizes = [...new Set(tomcatSide.map((s) => `${s.d.size} > ${s.d.max}`))];
      findings.push(
        ctx.finding({
          confidence: tomcatSide.length ? 'likely' : 'possible',
          explanation:
            (tomcatSide.length ? `Tomcat rejected ${plural(tomcatSide.length, 'request packet')} larger than its packetSize (${list(sizes.slice(0, 3))} bytes): the web server's max_packet_size / ProxyIOBufferSize is bigger than Tomcat's packetSize. ` : '') +
            (desync.length ? `Tomcat read a FORWARD_REQUEST body as a packet header (signature ${list([...new Set(desync.map((s) => String(s.d.signature)))])} = 0x02 0x02/0x04), the fingerprint of an oversized request packet left half-read.` : ''),
          evidence: [...tomcatSide, ...desync, ...capRequest],
        }),
      );
      if (capRequest.length) findings[findings.length - 1]!.confidence = 'confirmed';
    }
    if (capReply.length && !webSide.length) {
      const sizes = [...new Set(capReply.map((c) => Number(c.fields?.size)))];
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows the container sending reply packets of ${list(sizes.slice(0, 3))} bytes (over the default 8192) on ${plural(capReply.length, 'connection')}${captureSpan(capReply)}, and the web server closing or resetting each of those connections right after instead of finishing the request (${framesOf(capReply)}): Tomcat's packetSize is bigger than the web server's max_packet_size / ProxyIOBufferSize, which refused the packet (the client gets 502/500).`,
          evidence: capReply,
          subject: { backend: String(capReply[0]!.fields?.container ?? '?') },
        }),
      );
    }
    if (capRequest.length && !tomcatSide.length && !desync.length) {
      const sizes = [...new Set(capRequest.map((c) => Number(c.fields?.size)))];
      const statuses = [...new Set(capRequest.map((c) => c.fields?.status).filter((x) => typeof x === 'number'))];
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows the web server sending request packets of ${list(sizes.slice(0, 3))} bytes (over the default 8192) on ${plural(capRequest.length, 'connection')}${captureSpan(capRequest)}, and the container ${statuses.length ? `answering ${list(statuses.map(String))} with reuse=0` : 'closing the connection without an answer'} (${framesOf(capRequest)}): the web server's max_packet_size / ProxyIOBufferSize is bigger than Tomcat's packetSize, which rejected the request.`,
          evidence: capRequest,
          subject: { backend: String(capRequest[0]!.fields?.container ?? '?') },
        }),
      );
    }
    return findings;
  },
});
