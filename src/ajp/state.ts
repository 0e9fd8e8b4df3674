/**
 * Per-connection AJP13 state machine: decides which web server → container packets are request
 * body (they carry no prefix code) and checks that every message is legal in its state.
 * Violations are returned as values, never thrown.
 *
 * Model (ajp13-reference.md §5.4; Tomcat AjpProcessor.service / refillReadBuffer, mod_jk
 * ajp_send_request / ajp_get_reply, mod_proxy_ajp ap_proxy_ajp_request):
 *   idle  ─FORWARD_REQUEST→ cycle ─END_RESPONSE(reuse≠0)→ idle
 *                               └─END_RESPONSE(reuse=0)→ closing (only FIN/RST may follow)
 *   idle  ─CPING→ cping ─CPONG→ idle
 * Body credit: a FORWARD_REQUEST with Content-Length > 0 is followed at once by one body packet
 * (mod_jk and mod_proxy_ajp send it unasked; Tomcat reads it without asking); every GET_BODY_CHUNK
 * adds one more. A packet is body iff credit > 0 — never "bytes still expected", which is
 * Wireshark's residual-credit bug.
 */
import { DEFAULT_PACKET_SIZE, HEADER_LENGTH, isAcceptedRequestAttribute } from './constants.js';
import { decodeBody, decodePacket } from './decode.js';
import type { AjpMessage, AjpSide, RawPacket } from './types.js';

export type Phase = 'idle' | 'cping' | 'cycle' | 'closing' | 'unknown';

/** Stable names of the capture evidence kinds this layer produces (see CaptureEvidence.kind). */
export const VIOLATION_KINDS = [
  'cpong-expected',
  'cpong-unsolicited',
  'cping-in-cycle',
  'cping-unanswered',
  'data-after-end-response',
  'forward-request-in-cycle',
  'packet-too-big',
  'packet-over-default',
  'closed-in-cycle',
  'reset-in-cycle',
  'duplicate-send-headers',
  'body-chunk-before-headers',
  'body-without-credit',
  'get-body-chunk-after-end-of-body',
  'unexpected-message',
  'malformed-message',
  'unknown-message',
  'bad-magic',
  'message-issue',
  'include-attribute',
  'unknown-request-attribute',
  'end-response-no-reuse',
  'resync',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  kind: ViolationKind;
  frames: number[];
  ts: number;
  detail: string;
  fields?: Record<string, string | number | boolean | null>;
}

export interface Step {
  message: AjpMessage;
  violations: Violation[];
}

/**
 * What receive() returns: one object for every packet of every session, refilled (receive() never
 * runs inside another), valid until the next receive(). Its caller reads both fields at once; an
 * object per packet was one more allocation on the hottest path (issue 14).
 */
const STEP: Step = { message: null as unknown as AjpMessage, violations: [] };

/**
 * A packet over the assumed packet size is a fact, not yet a fault: both sides may be configured for it
 * (Tomcat packetSize, mod_jk max_packet_size, ProxyIOBufferSize up to 65536). Only the receiver's
 * reaction tells (detect/packet-size.ts: a 400 with reuse=0 or a close right after).
 */
const OVER_SIZE_HINT = 'fine if both sides are configured for it, a fault only if the receiver refuses it (see the root causes)';

/**
 * receive()'s working list, one for all sessions (receive() never runs inside another), emptied into
 * a new array only when a packet has violations.
 */
const SCRATCH: Violation[] = [];

/** Step.violations of a packet without any (shared, so frozen). */
const NO_VIOLATIONS: Violation[] = Object.freeze([]) as unknown as Violation[];

/** AjpSession.bits: */
const S_BODY_ENDED = 1;
const S_HEADERS_SEEN = 2;
const S_AWAITING_CPONG = 4;
const S_CLOSE_REPORTED = 8;

export class AjpSession {
  phase: Phase;
  /** Body packets the container is owed / will read. */
  credit = 0;
  /**
   * The four flags below in one number: a session lives as long as its connection, and a pooled
   * capture keeps most connections open to the end (a boolean field each took 8 bytes per session).
   */
  private bits = 0;
  private cpingsPending = 0;
  private lastEndReuse: number | null = null;
  /**
   * The GET_BODY_CHUNK still unanswered (no body packet from the web server since): the container is
   * blocked reading the request body (AjpProcessor.refillReadBuffer → receive()), i.e. it waits for
   * the web server, not the other way round.
   */
  private bodyAsked: { frame: number; ts: number } | null = null;
  /** Oversized packets already reported at their header (side:offset). */
  private oversizeSeen: Set<string> | null = null;

  constructor(
    readonly packetSize = DEFAULT_PACKET_SIZE,
    inSync = true,
  ) {
    this.phase = inSync ? 'idle' : 'unknown';
  }

  private flag(b: number): boolean {
    return (this.bits & b) !== 0;
  }

  private setFlag(b: number, on: boolean): void {
    this.bits = on ? this.bits | b : this.bits & ~b;
  }

  private get bodyEnded(): boolean {
    return this.flag(S_BODY_ENDED);
  }

  private set bodyEnded(v: boolean) {
    this.setFlag(S_BODY_ENDED, v);
  }

  private get headersSeen(): boolean {
    return this.flag(S_HEADERS_SEEN);
  }

  private set headersSeen(v: boolean) {
    this.setFlag(S_HEADERS_SEEN, v);
  }

  /** The web server sent a CPING and waits for the CPONG as the very next container message. */
  private get awaitingCpong(): boolean {
    return this.flag(S_AWAITING_CPONG);
  }

  private set awaitingCpong(v: boolean) {
    this.setFlag(S_AWAITING_CPONG, v);
  }

  /** Set once per cycle so FIN and RST inside one cycle are reported once. */
  private get closeReported(): boolean {
    return this.flag(S_CLOSE_REPORTED);
  }

  private set closeReported(v: boolean) {
    this.setFlag(S_CLOSE_REPORTED, v);
  }

  /** Whether the packet at `offset` was already reported at its header (oversize()); forgets it. */
  private seenAtHeader(side: AjpSide, offset: number): boolean {
    return this.oversizeSeen !== null && this.oversizeSeen.delete(`${side}:${offset}`);
  }

  /** Lost bytes or a mid-stream start: the state is unknown until the next anchor. */
  resync(): void {
    this.phase = 'unknown';
    this.credit = 0;
    this.bodyAsked = null;
  }

  /** Decodes one packet and judges it; the Step is shared (STEP): read it before the next call. */
  receive(raw: RawPacket, side: AjpSide): Step {
    // Most packets have no violation: they share one frozen empty list instead of a new array each.
    const v = SCRATCH;
    // Empty already unless a receive() threw half-way: setting the length is a runtime call per packet.
    if (v.length !== 0) v.length = 0;
    const message = side === 'web-server' ? this.fromWebServer(raw, v) : this.fromContainer(raw, v);
    const size = HEADER_LENGTH + raw.length;
    if (size > this.packetSize && message.type !== 'MALFORMED' && !this.seenAtHeader(side, raw.offset)) {
      v.push(violation('packet-too-big', message, `${message.type} of ${size} bytes is over the packet size ${this.packetSize} assumed (--packet-size): ${OVER_SIZE_HINT}`, { size, packetSize: this.packetSize, side }));
    } else if (size > DEFAULT_PACKET_SIZE && size <= this.packetSize && message.type !== 'MALFORMED' && !this.seenAtHeader(side, raw.offset)) {
      // Within the packet size the user gave, but over the default both sides start from (Tomcat
      // packetSize, mod_jk max_packet_size, ProxyIOBufferSize: 8192). Not an error by itself; the
      // detectors judge it by the receiver's reaction, so an option never hides what the wire shows.
      v.push(violation('packet-over-default', message, `${message.type} of ${size} bytes is over the default packet size ${DEFAULT_PACKET_SIZE} (within the ${this.packetSize} given)`, { size, packetSize: this.packetSize, side }));
    }
    if (message.type === 'MALFORMED') {
      const bad = message.code === null && message.reason.startsWith('bad magic');
      v.push(violation(bad ? 'bad-magic' : 'malformed-message', message, message.reason, bad ? { magic: message.magic, text: asciiPreview(raw.payload, raw.magic, raw.length), from: side } : { code: message.code }));
    } else if (message.type === 'UNKNOWN') {
      v.push(violation('unknown-message', message, message.reason, { code: message.code }));
    } else if (message.issues !== undefined && message.type !== 'DATA') {
      v.push(violation('message-issue', message, `${message.type}: ${message.issues.join('; ')}`));
    }
    if (message.type === 'FORWARD_REQUEST') {
      for (const a of message.attributes) {
        if (!a.request) continue;
        if (/^(javax|jakarta)\.servlet\.include\./.test(a.name)) {
          v.push(violation('include-attribute', message, `req_attribute ${a.name} (Ghostcat CVE-2020-1938 pattern: Tomcat 9.0.31 / 8.5.51 / 7.0.100 and later refuse it with 403 unless allowedRequestAttributesPattern matches it; the reply says which)`, { name: a.name }));
        } else if (!isAcceptedRequestAttribute(a.name)) {
          v.push(violation('unknown-request-attribute', message, `req_attribute ${a.name} is not one Tomcat accepts by default (403 unless allowedRequestAttributesPattern matches it)`, { name: a.name }));
        }
      }
    }
    STEP.message = message;
    STEP.violations = v.length === 0 ? NO_VIOLATIONS : v.splice(0);
    return STEP;
  }

  private fromWebServer(raw: RawPacket, v: Violation[]): AjpMessage {
    if (this.phase === 'cycle' && this.credit > 0) {
      const m = decodeBody(raw);
      this.credit--;
      if (this.credit === 0) this.bodyAsked = null;
      if (m.empty) this.bodyEnded = true;
      return m;
    }
    let m = decodePacket(raw, 'web-server', false);
    if (this.phase === 'cycle' || this.phase === 'unknown') {
      // No credit (or unknown state): a packet that is not a clean typed message but has the shape of a
      // body packet (chunk length = payload − 2, or an empty packet) is read as body.
      if ((m.type === 'UNKNOWN' || m.type === 'MALFORMED') && raw.magic === 0x1234 && !raw.truncated && looksLikeBody(raw.payload)) {
        m = decodeBody(raw);
        if (this.phase === 'cycle') {
          v.push(violation('body-without-credit', m, 'request body packet the container did not ask for (no Content-Length credit or GET_BODY_CHUNK outstanding)'));
        }
        return m;
      }
    }
    switch (m.type) {
      case 'FORWARD_REQUEST':
        if (this.phase === 'cycle') {
          v.push(violation('forward-request-in-cycle', m, 'FORWARD_REQUEST while the previous request cycle is still open (no END_RESPONSE yet)'));
        } else if (this.phase === 'closing') {
          v.push(violation('data-after-end-response', m, 'FORWARD_REQUEST after END_RESPONSE with reuse=0 (the container closes this connection)', { reuse: 0 }));
        }
        this.startCycle(m.contentLength);
        break;
      case 'MALFORMED':
        // A complete but unreadable FORWARD_REQUEST still opens a cycle (Tomcat answers it with 400/500);
        // one cut short by a gap does not: we do not know what followed.
        if (m.code === 2 && !raw.truncated) this.startCycle(null);
        else if (this.phase === 'closing') this.afterClose(m, v);
        break;
      case 'CPING':
        if (this.phase === 'cycle') {
          v.push(violation('cping-in-cycle', m, 'CPING inside a request cycle: the container reads it as body or answers it only after END_RESPONSE'));
        } else if (this.phase === 'closing') this.afterClose(m, v);
        else this.phase = 'cping';
        this.cpingsPending++;
        this.awaitingCpong = true;
        break;
      case 'DATA':
        break;
      default:
        if (this.phase === 'closing') this.afterClose(m, v);
        else if (this.phase !== 'unknown') {
          v.push(violation('unexpected-message', m, `${m.type} from the web server in state ${this.phase} (Tomcat: "Unexpected message type", closes without reply)`, { type: m.type, phase: this.phase }));
        }
    }
    return m;
  }

  private afterClose(m: AjpMessage, v: Violation[]): void {
    v.push(violation('data-after-end-response', m, `${m.type} after END_RESPONSE with reuse=0`, { reuse: 0, type: m.type }));
  }

  private startCycle(contentLength: number | null): void {
    this.phase = 'cycle';
    // mod_jk / mod_proxy_ajp send the first body packet unasked when Content-Length > 0 (jk_ajp_common.c
    // ajp_send_request; mod_proxy_ajp.c) and Tomcat reads it unasked (AjpProcessor.refillReadBuffer).
    this.credit = contentLength !== null && contentLength > 0 ? 1 : 0;
    this.bodyEnded = false;
    this.headersSeen = false;
    this.closeReported = false;
    this.bodyAsked = null;
  }

  private fromContainer(raw: RawPacket, v: Violation[]): AjpMessage {
    const m = decodePacket(raw, 'container');
    if (this.awaitingCpong && m.type !== 'MALFORMED') {
      // mod_jk reads the next message after its CPING and requires a CPONG (ajp_handle_cping_cpong:
      // "awaited reply cpong, received %d instead"); anything else is the tail of an earlier response.
      this.awaitingCpong = false;
      if (m.type !== 'CPONG') {
        v.push(violation('cpong-expected', m, `CPONG awaited but ${m.type} received: the container is still answering an earlier request`, { received: m.type }));
      }
    }
    if (this.phase === 'closing') {
      this.afterClose(m, v);
      return m;
    }
    switch (m.type) {
      case 'CPONG':
        if (this.cpingsPending > 0) {
          this.cpingsPending--;
          if (this.phase === 'cping' && this.cpingsPending === 0) this.phase = 'idle';
        } else if (this.phase !== 'unknown') v.push(violation('cpong-unsolicited', m, 'CPONG without a CPING'));
        break;
      case 'SEND_HEADERS':
        if (this.phase === 'cycle') {
          if (this.headersSeen) v.push(violation('duplicate-send-headers', m, 'second SEND_HEADERS in one cycle (mod_jk/mod_proxy_ajp fail the request)'));
          this.headersSeen = true;
        } else this.outsideCycle(m, v);
        break;
      case 'SEND_BODY_CHUNK':
        if (this.phase === 'cycle') {
          if (!this.headersSeen && !m.flush) {
            v.push(violation('body-chunk-before-headers', m, 'SEND_BODY_CHUNK with data before SEND_HEADERS'));
          }
        } else if (!m.flush) this.outsideCycle(m, v);
        // A lone flush after END_RESPONSE is tolerated by mod_jk ("stale flush", jk_ajp_common.c).
        break;
      case 'GET_BODY_CHUNK':
        if (this.phase === 'cycle') {
          if (this.bodyEnded) {
            v.push(violation('get-body-chunk-after-end-of-body', m, 'GET_BODY_CHUNK after the empty end-of-body packet (mod_proxy_ajp treats this as an error)'));
          }
          this.credit++;
          this.bodyAsked ??= { frame: m.frames[m.frames.length - 1] ?? 0, ts: m.ts };
        } else this.outsideCycle(m, v);
        break;
      case 'END_RESPONSE':
        if (this.phase === 'cycle' || this.phase === 'unknown') {
          this.lastEndReuse = m.reuse;
          this.credit = 0;
          this.bodyAsked = null;
          if (m.reuse === 0) {
            this.phase = 'closing';
            v.push(violation('end-response-no-reuse', m, 'END_RESPONSE with reuse=0: the request ended in error and the container closes the connection', { reuse: 0 }));
          } else this.phase = this.cpingsPending > 0 ? 'cping' : 'idle';
        } else this.outsideCycle(m, v);
        break;
      default:
        break;
    }
    return m;
  }

  private outsideCycle(m: AjpMessage, v: Violation[]): void {
    if (this.phase === 'unknown') return;
    if (this.phase === 'cping') return; // already reported as cpong-expected
    if (this.lastEndReuse !== null) {
      v.push(violation('data-after-end-response', m, `${m.type} after END_RESPONSE (left over from the previous response?)`, { type: m.type }));
    } else {
      v.push(violation('unexpected-message', m, `${m.type} from the container outside a request cycle`, { type: m.type, phase: this.phase }));
    }
  }

  /** A header announcing a packet over the packet size (see PacketReader.sizeLimit): reported at once. */
  oversize(side: AjpSide, h: { length: number; offset: number; frames: number[]; ts: number }, code: number | null): Violation {
    // Over the packet size given: packet-too-big. Within it but over the default (see PacketReader.announceLimit): packet-over-default.
    const seen = (this.oversizeSeen ??= new Set());
    seen.add(`${side}:${h.offset}`);
    if (seen.size > 64) seen.clear();
    const size = HEADER_LENGTH + h.length;
    if (size <= this.packetSize) {
      return {
        kind: 'packet-over-default',
        frames: h.frames,
        ts: h.ts,
        detail: `the ${side.replace('-', ' ')} announced a ${size}-byte packet, over the default packet size ${DEFAULT_PACKET_SIZE} (within the ${this.packetSize} given)`,
        fields: { size, packetSize: this.packetSize, side, code },
      };
    }
    return {
      kind: 'packet-too-big',
      frames: h.frames,
      ts: h.ts,
      detail: `the ${side.replace('-', ' ')} announced a ${size}-byte packet, over the packet size ${this.packetSize} assumed (--packet-size): ${OVER_SIZE_HINT}`,
      fields: { size, packetSize: this.packetSize, side, code },
    };
  }

  /** The connection closed (FIN) or was reset (RST) — by either side. */
  close(how: 'fin' | 'rst', frame: number, ts: number, by: AjpSide): Violation[] {
    const out: Violation[] = [];
    if (this.phase === 'cycle' && !this.closeReported) {
      this.closeReported = true;
      out.push({
        kind: how === 'rst' ? 'reset-in-cycle' : 'closed-in-cycle',
        frames: [frame],
        ts,
        detail: `${how === 'rst' ? 'RST' : 'FIN'} from the ${by.replace('-', ' ')} inside a request cycle (no END_RESPONSE yet${this.bodyAsked !== null ? '; the container was waiting for the request body it asked for with GET_BODY_CHUNK' : ''})`,
        fields: this.bodyAsked !== null ? { by, bodyAskedFrame: this.bodyAsked.frame, bodyAskedTs: this.bodyAsked.ts } : { by },
      });
    } else if (this.phase === 'cping' && this.cpingsPending > 0 && !this.closeReported) {
      this.closeReported = true;
      out.push({
        kind: 'cping-unanswered',
        frames: [frame],
        ts,
        detail:
          by === 'container'
            ? `${how === 'rst' ? 'RST' : 'FIN'} from the container while a CPONG was awaited (a paused or stopping Tomcat closes without CPONG, AjpProcessor.service)`
            : `${how === 'rst' ? 'RST' : 'FIN'} from the web server while a CPONG was awaited: it gave up waiting (mod_jk ping_timeout, mod_proxy_ajp ping=)`,
        fields: { by },
      });
    }
    return out;
  }

  /** Whether a request cycle is open (for the end-of-capture summary). */
  get inCycle(): boolean {
    return this.phase === 'cycle';
  }
}

function looksLikeBody(p: Buffer): boolean {
  if (p.length === 0) return true;
  return p.length >= 2 && ((p[0]! << 8) | p[1]!) === p.length - 2;
}

function violation(kind: ViolationKind, m: AjpMessage, detail: string, fields?: Violation['fields']): Violation {
  return fields === undefined ? { kind, frames: m.frames, ts: m.ts, detail } : { kind, frames: m.frames, ts: m.ts, detail, fields };
}

function asciiPreview(payload: Buffer, magic: number, length: number): string {
  const head = Buffer.concat([Buffer.from([magic >> 8, magic & 0xff, length >> 8, length & 0xff]), payload.subarray(0, 56)]);
  const line = head.toString('latin1').split(/\r?\n/)[0] ?? '';
  return line.replace(/[^\x20-\x7e]/g, '.');
}
