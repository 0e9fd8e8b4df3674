/**
 * Packets over the packet size, and how the other side took them. The analyzer flags every AJP packet
 * longer than the packet size it assumes (8192 unless told): that alone is not a fault (both sides may be
 * configured to 65536). The reaction tells whether the receiver's limit is smaller:
 *
 * - from the web server (a FORWARD_REQUEST over 8 KB): Tomcat with a smaller packetSize answers 400 and
 *   END_RESPONSE reuse=0 (AjpProcessor.readMessage() "Header message of length … but the packetSize is
 *   only …", Tomcat 7.0.14+), or just closes → `oversized-request-rejected`.
 * - from the container (SEND_HEADERS / SEND_BODY_CHUNK over 8 KB): a web server with a smaller
 *   max_packet_size / ProxyIOBufferSize closes the connection inside the cycle (jk_ajp_common.c
 *   ajp_connection_tcp_get_message() "wrong message size", httpd ajp_msg_check_header() AH01081)
 *   → `oversized-reply-rejected`.
 */
import type { CaptureEvidence } from '../util/evidence.js';
import { cycleOf, ev, type ConnView } from './common.js';

/** Seconds after an oversized reply packet within which the web server's RST counts as refusing it. */
const RESET_WITHIN = 1;

export function oversizedPacket(v: CaptureEvidence, c: ConnView | undefined, streamViolations: readonly CaptureEvidence[]): CaptureEvidence[] {
  const out = judgeOversized(v, c, streamViolations);
  if (v.kind !== 'packet-over-default') return out;
  // The user said both sides use a bigger packet size; the wire says the receiver refused the packet.
  return out.map((e) => ({ ...e, detail: `${e.detail} (--packet-size ${String(v.fields?.packetSize)} was given, but the receiver refused the ${String(v.fields?.size)}-byte packet)` }));
}

function judgeOversized(v: CaptureEvidence, c: ConnView | undefined, streamViolations: readonly CaptureEvidence[]): CaptureEvidence[] {
  // packet-over-default: over 8192 but within the --packet-size given. The reaction decides, not the option.
  if (v.kind !== 'packet-too-big' && v.kind !== 'packet-over-default') return [];
  const f = v.fields ?? {};
  const size = Number(f.size);
  if (f.side === 'web-server') {
    // The cycle the oversized FORWARD_REQUEST opened (its first frame is the packet's).
    const y = c?.cycles.find((x) => x.firstFrame >= v.frames[0]! );
    const status = y?.status ?? null;
    const rejectedByStatus = status !== null && status >= 400 && (y!.reuse === 0 || y!.outcome !== 'end-response');
    const closedUnanswered = c !== undefined && status === null && (c.facts.finBy === 'container' || c.facts.rstBy === 'container');
    if (!rejectedByStatus && !closedUnanswered) return [];
    const frames = y?.lastFrame !== null && y?.lastFrame !== undefined ? [...v.frames, y.lastFrame] : v.frames;
    return [
      {
        ...ev(v, 'oversized-request-rejected', `the web server sent a ${size}-byte request packet${y?.uri ? ` (${String(y.method)} ${y.uri})` : ''}; the container ${rejectedByStatus ? `answered ${status} with reuse=0` : 'closed the connection without an answer'}: its packetSize is smaller`, {
          status,
          method: y?.method ?? null,
          uri: y?.uri ?? null,
        }),
        frames,
      },
    ];
  }
  if (f.side === 'container') {
    // The web server closes inside the cycle; or the whole reply was already in its socket buffer
    // (END_RESPONSE seen) and it resets the connection with the unread data right after, instead of
    // reusing it (samples/packet-size tcp.stream 22, 27).
    const inCycle = streamViolations.find((x) => (x.kind === 'closed-in-cycle' || x.kind === 'reset-in-cycle') && x.fields?.by === 'web-server' && x.fields?.cycle === f.cycle && x.ts >= v.ts);
    const lastCycle = c !== undefined && !(typeof f.cycle === 'number' && c.lastCycleIndex > f.cycle);
    const resetAfter = c !== undefined && lastCycle && c.facts.rstBy === 'web-server' && c.lastTs - v.ts <= RESET_WITHIN ? { frames: [c.lastFrame] } : undefined;
    const close = inCycle ?? resetAfter;
    if (!close) return [];
    // One per cycle: the first oversized packet is the one the web server refused.
    const earlier = streamViolations.find((x) => (x.kind === 'packet-too-big' || x.kind === 'packet-over-default') && x.fields?.side === 'container' && x.fields?.cycle === f.cycle && x.ts < v.ts);
    if (earlier) return [];
    const y = cycleOf(c, v);
    return [
      {
        ...ev(v, 'oversized-reply-rejected', `the container sent a ${size}-byte packet in the reply to ${requestText(f.method ?? y?.method, f.uri ?? y?.uri)}${y?.status ? ` (status ${y.status})` : ''}; the web server ${inCycle ? 'closed the connection right after' : 'reset the connection right after, with the reply unread,'} (frame ${close.frames.join(', ')}) instead of finishing the request: its max_packet_size / ProxyIOBufferSize is smaller`),
        frames: [...v.frames, ...close.frames],
      },
    ];
  }
  return [];
}

/**
 * "GET /app/x", or "the request" when the header that announced the packet came before any request
 * was decoded (an oversize announced by a damaged or mid-stream header carries no method / URI).
 */
function requestText(method: unknown, uri: unknown): string {
  if (typeof uri !== 'string' || uri === '') return 'the request';
  return typeof method === 'string' && method !== '' ? `${method} ${uri}` : uri;
}
