/**
 * The web server giving up on the container, as the capture shows it:
 *
 * - `reply-timeout`: the web server closed (FIN/RST) a connection inside a request cycle after the whole
 *   request had been sent and before any reply (no SEND_HEADERS, no GET_BODY_CHUNK owed): it waited for the
 *   reply and stopped waiting — mod_jk reply_timeout (jk_ajp_common.c ajp_get_reply(): "Timeout with
 *   waiting reply from tomcat", then the socket is closed) or mod_proxy_ajp ProxyTimeout / timeout=
 *   (ajp_ilink_receive() 70007, then the backend connection is closed). A client going away while waiting
 *   is not noticed by either module until it writes, so it does not look like this.
 * - `cping-timeout`: the web server closed the connection while a CPONG was awaited (mod_jk
 *   ajp_handle_cping_cpong() "timeout in reply cpong", mod_proxy_ajp AH01012 / AH00897).
 */
import type { AjpConnection } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import type { ClientGuess } from './client.js';
import { cycleOf, ev, secs, type ConnView } from './common.js';
import type { RestartWindow } from './restart.js';

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** Connections where something between dropped the traffic (firewall-idle-drop): a timeout there is not the backend's. */
function dropped(c: AjpConnection | undefined): boolean {
  return c !== undefined && c.facts.unansweredAfterIdle !== null && c.facts.unansweredAfterIdle.retransmissions > 0;
}

/**
 * What the violation alone says of a reply timeout: the web server closed inside a cycle whose whole
 * request it had sent, before any reply (the first check of replyTimeout; test/detect/timeouts.test.ts
 * asks it on each condition).
 */
export function mayBeReplyTimeout(v: CaptureEvidence): boolean {
  const f = v.fields ?? {};
  if (v.kind !== 'closed-in-cycle' && v.kind !== 'reset-in-cycle') return false;
  if (f.by !== 'web-server' || f.status !== null || f.requestBodyComplete !== true) return false;
  // The container had asked for body (GET_BODY_CHUNK) and was waiting for the web server: not a slow
  // reply (detect/index.ts body-chunk-never-sent).
  if (typeof f.bodyAskedTs === 'number') return false;
  return !(typeof f.cycleViolations === 'number' && f.cycleViolations > 0);
}

/** What the violation alone says of a CPing timeout: the web server closed while a CPONG was awaited. */
export function mayBeCpingTimeout(v: CaptureEvidence): boolean {
  return v.kind === 'cping-unanswered' && v.fields?.by === 'web-server';
}

/**
 * A timeout's item as its connection's end tells it. What only the whole capture tells is filled in
 * by {@link settle} at the end: the client module around it (ClientGuess reads every cycle's marks)
 * and, for a CPing timeout, whether it fell in a restart window. Made when the connection ends so
 * that nothing of the connection is held till then (a capture of 40,000 reply timeouts held a view
 * of each connection, 354 MB).
 */
export interface TimeoutItem {
  readonly e: CaptureEvidence;
  /** The web server's address and the time its client module is told at (none: no connection). */
  readonly clientAt: { addr: string; ts: number } | null;
  /** A CPing timeout's container, for the restart windows (undefined: a reply timeout). */
  readonly container?: string;
}

export function replyTimeout(v: CaptureEvidence, c: ConnView | undefined): TimeoutItem | null {
  const f = v.fields ?? {};
  if (!mayBeReplyTimeout(v)) return null;
  if (dropped(c)) return null;
  const y = cycleOf(c, v);
  const waited = y !== undefined ? round(v.ts - y.ts) : null;
  // The cycle summary is completed after the close: a status there means Tomcat's reply came later.
  const late = y !== undefined && y.status !== null ? y.status : null;
  const frames = y !== undefined ? [y.firstFrame, ...v.frames] : v.frames;
  return {
    e: {
      ...ev(v, 'reply-timeout', `${v.kind === 'reset-in-cycle' ? 'RST' : 'FIN'} from the web server ${waited !== null ? `${secs(waited)} after` : 'after'} ${String(f.method)} ${String(f.uri)} without any reply from the container${late !== null ? `; the container's SEND_HEADERS ${late} came later, on the closed connection` : ''}`, {
        waitedSeconds: waited,
        lateStatus: late,
        client: null,
      }),
      frames,
    },
    clientAt: c ? { addr: c.webServer.addr, ts: y?.ts ?? v.ts } : null,
  };
}

export function cpingTimeout(v: CaptureEvidence, c: ConnView | undefined): TimeoutItem | null {
  if (!mayBeCpingTimeout(v)) return null;
  if (dropped(c)) return null;
  // A CPING right after the handshake (no request before it on this connection): the connect-CPing of
  // mod_jk (ping_mode C) or mod_proxy_ajp's ping= on a new connection. Waited ≈ close − connection start.
  const fresh = c !== undefined && c.fromStart && c.facts.synAck && !(c.firstCycleFrame !== null && c.firstCycleFrame < v.frames[0]!);
  const waited = fresh ? round(v.ts - c.startTs) : null;
  // Every CPING answered in the end: the CPONG arrived after the web server had closed (Tomcat alive but late).
  const lateCpong = c !== undefined && c.cpongs >= c.cpings && c.cpings > 0;
  return {
    e: {
      ...ev(
        v,
        'cping-timeout',
        `the web server closed ${fresh ? 'the new connection' : 'the connection'} ${waited !== null ? `${secs(waited)} after its CPING` : 'while waiting for a CPONG'}: no CPONG in time${lateCpong ? '; the CPONG came later and was answered with RST' : ''}`,
        { fresh, waitedSeconds: waited, lateCpong, client: null, duringRestart: false },
      ),
      frames: c !== undefined && fresh ? [c.firstFrame, ...v.frames] : v.frames,
    },
    clientAt: c ? { addr: c.webServer.addr, ts: v.ts } : null,
    container: String(v.fields?.container ?? ''),
  };
}

/** The item with what the whole capture tells: the client module guessed around it, and for a CPing timeout, a restart window it fell in. */
export function settle(t: TimeoutItem, client: ClientGuess, windows: readonly RestartWindow[]): CaptureEvidence {
  const fields = t.e.fields!;
  fields.client = t.clientAt === null ? null : client.at(t.clientAt.addr, t.clientAt.ts);
  const container = t.container;
  if (container !== undefined) {
    const ts = t.e.ts;
    fields.duringRestart = windows.some((w) => w.container === container && ts >= w.from && ts <= w.to);
  }
  return t.e;
}
