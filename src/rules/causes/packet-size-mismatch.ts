import { defineRule } from '../types.js';
import { httpdTooBig, jkWrongSize, tomcatHeaderTooLong, tomcatInvalidSignature } from '../signals.js';
import { list, merge, plural, portOf } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';
import { maxOf, minOf } from '../../util/append.js';

/** A packet size as both sides accept it: a multiple of 1024 (mod_jk jk_ajp_common.c rounds max_packet_size so), 8192–65536. */
function roundedSize(n: number): number {
  return Math.min(65536, Math.max(8192, Math.ceil(n / 1024) * 1024));
}

function portAttr(container: string | undefined): string {
  const port = portOf(container);
  return port === undefined ? '' : ` port="${port}"`;
}

/**
 * The settings from the sizes seen. A reply packet of N bytes the web server refused: Tomcat's
 * packetSize is at least N, so the web server needs max_packet_size / ProxyIOBufferSize of the same
 * value (or Tomcat goes down to the web server's limit). A request packet of N bytes Tomcat refused:
 * the web server allows at least N, so Tomcat's packetSize must be raised to the web server's value.
 */
function sizeRemedy(side: 'reply' | 'request', sizes: readonly number[], limits: readonly number[], container: string | undefined): string[] {
  const seen = sizes.filter((n) => Number.isFinite(n) && n > 0);
  if (!seen.length) return [];
  const big = maxOf(seen);
  const p = roundedSize(big);
  const limit = limits.filter((n) => Number.isFinite(n) && n > 0);
  const lim = limit.length ? minOf(limit) : undefined;
  if (side === 'reply')
    return [
      `Seen: the container sends packets of up to ${big} bytes (its packetSize is at least ${p})${lim !== undefined ? ` and the web server accepts at most ${lim}` : ''}. Make both sides the same: worker.<name>.max_packet_size=${p} (mod_jk) or ProxyIOBufferSize ${p} (mod_proxy_ajp), or lower Tomcat to the web server's size: <Connector${portAttr(container)} protocol="AJP/1.3" packetSize="${lim ?? 8192}"/>.`,
    ];
  return [
    `Seen: the web server sends request packets of up to ${big} bytes (its max_packet_size / ProxyIOBufferSize is at least ${p})${lim !== undefined ? ` and Tomcat accepts at most ${lim}` : ''}. Raise Tomcat to the web server's value: <Connector${portAttr(container)} protocol="AJP/1.3" packetSize="${p}"/> (or the web server's exact max_packet_size if larger), or lower the web server to ${lim ?? 8192}.`,
  ];
}

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
          remedy: sizeRemedy('reply', [...webSide.map((s) => Number(s.d.size)), ...capReply.map((c) => Number(c.fields?.size))], webSide.map((s) => Number(s.d.max)), capReply[0]?.fields?.container as string | undefined),
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
          remedy: sizeRemedy('request', [...tomcatSide.map((s) => Number(s.d.size)), ...capRequest.map((c) => Number(c.fields?.size))], tomcatSide.map((s) => Number(s.d.max)), capRequest[0]?.fields?.container as string | undefined),
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
          remedy: sizeRemedy('reply', sizes, [], capReply[0]?.fields?.container as string | undefined),
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
          remedy: sizeRemedy('request', sizes, [], capRequest[0]?.fields?.container as string | undefined),
        }),
      );
    }
    return findings;
  },
});
