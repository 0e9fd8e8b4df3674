/**
 * detect/: capture detectors over AJP timelines. Each turns protocol violations and connection facts
 * into the evidence kinds the root-cause rules ask for (rules/causes/*: `needs.capture`), so a rule
 * never reads frames itself. Pure functions over the analyzer's result.
 *
 * Only the kinds below reach the rules (the state machine's own violations, ajp/state.ts
 * VIOLATION_KINDS, are raw material here): one table entry per kind, the detector that makes it.
 */
import type { AjpConnection, AjpResult } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { ClientGuess } from './client.js';
import { ev, endpoints } from './common.js';
import { oversizedPacket } from './packet-size.js';
import { detectRestarts, isRefused } from './restart.js';
import { cpingTimeout, replyTimeout } from './timeouts.js';

export const DETECTED_KINDS = [
  // violations passed on unchanged
  'cpong-expected',
  'data-after-end-response',
  // index.ts fromViolation() / fromConnection()
  'ghostcat-attribute',
  'non-ajp-reply',
  'non-ajp-client',
  'secret-rejected',
  'unknown-attribute',
  'client-abort-upload',
  'client-abort-download',
  'connect-refused',
  'syn-unanswered',
  'backend-idle-close',
  'idle-connection-dropped',
  // timeouts.ts: the web server gave up waiting for a reply / a CPONG
  'reply-timeout',
  'cping-timeout',
  // packet-size.ts: a packet over 8 KB the other side refused
  'oversized-request-rejected',
  'oversized-reply-rejected',
  // restart.ts: refused connects, then served again
  'refused-then-served',
] as const;

/** Rule-level evidence derived from one protocol violation. */
export function fromViolation(v: CaptureEvidence): CaptureEvidence[] {
  const f = v.fields ?? {};
  switch (v.kind) {
    // Violations that are root-cause evidence as they are: a CPING answered by a stale packet of an earlier
    // exchange (cping-desync-leftover-packets), packets after END_RESPONSE (backend-sends-after-end-response).
    case 'cpong-expected':
    case 'data-after-end-response':
      return [v];
    case 'include-attribute':
      return [ev(v, 'ghostcat-attribute', v.detail)];
    case 'unknown-request-attribute':
      return [ev(v, 'unknown-attribute', v.detail)];
    case 'bad-magic':
      return f.from === 'container'
        ? [ev(v, 'non-ajp-reply', `the container answered with non-AJP bytes "${String(f.text ?? '')}"`)]
        : [ev(v, 'non-ajp-client', `the client sent non-AJP bytes "${String(f.text ?? '')}" to the AJP port`)];
    case 'end-response-no-reuse':
      return f.status === 403 && f.rejectedAttribute !== true
        ? [ev(v, 'secret-rejected', `403 and reuse=0 for ${String(f.method)} ${String(f.uri)}: request ${f.secret ? 'carried a secret the container did not accept' : 'carried no secret'}`)]
        : [];
    case 'closed-in-cycle':
    case 'reset-in-cycle':
      if (f.by !== 'web-server' || (typeof f.cycleViolations === 'number' && f.cycleViolations > 0)) return [];
      if (f.status === null || f.status === undefined) {
        return f.requestBodyComplete === false
          ? [ev(v, 'client-abort-upload', `the web server closed the connection while the request body of ${String(f.method)} ${String(f.uri)} was still arriving`)]
          : [];
      }
      return [ev(v, 'client-abort-download', `the web server closed the connection while the response to ${String(f.method)} ${String(f.uri)} was being sent`)];
    default:
      return [];
  }
}

/** Rule-level evidence from a connection's summary and facts. */
export function fromConnection(c: AjpConnection): CaptureEvidence[] {
  const out: CaptureEvidence[] = [];
  const f = c.facts;
  const base = { source: 'capture' as const, stream: c.stream };
  const quiet = c.bytes.webServer + c.bytes.container === 0;
  if (f.syn && !f.synAck && quiet) {
    if (isRefused(c)) {
      out.push({ ...base, kind: 'connect-refused', frames: [c.firstFrame, c.lastFrame], ts: c.startTs, detail: `connection to ${endpoints(c).container} refused (SYN answered by RST)`, fields: endpoints(c) });
    } else if (f.rstBy === null && f.finBy === null) {
      out.push({ ...base, kind: 'syn-unanswered', frames: [c.firstFrame, c.lastFrame], ts: c.startTs, detail: `SYN to ${endpoints(c).container} never answered`, fields: endpoints(c) });
    }
  }
  if (f.closedIdleBy !== null) {
    const x = f.closedIdleBy;
    out.push({
      ...base,
      kind: 'backend-idle-close',
      frames: [x.frame],
      ts: x.ts,
      detail: `the container closed the idle pooled connection (${x.how.toUpperCase()}${x.idle !== null ? ` after ${x.idle.toFixed(1)} s without traffic` : ''})`,
      fields: { ...endpoints(c), how: x.how, idleSeconds: x.idle },
    });
  }
  if (f.unansweredAfterIdle !== null && f.unansweredAfterIdle.retransmissions > 0) {
    const x = f.unansweredAfterIdle;
    out.push({
      ...base,
      kind: 'idle-connection-dropped',
      frames: x.frames,
      ts: x.ts,
      detail: `${x.type} after ${x.idle.toFixed(1)} s of silence was never answered (${x.retransmissions} retransmission(s), no reply, no RST): something between dropped the idle connection`,
      fields: { ...endpoints(c), idleSeconds: x.idle, retransmissions: x.retransmissions, type: x.type },
    });
  }
  return out;
}

/** Every rule-level evidence item of a capture. */
export function detectCaptureEvidence(r: AjpResult): CaptureEvidence[] {
  const out: CaptureEvidence[] = [];
  const conns = new Map<number, AjpConnection>(r.connectionList.map((c) => [c.stream, c]));
  const perStream = new Map<number, CaptureEvidence[]>();
  for (const v of r.violations) {
    let arr = perStream.get(v.stream);
    if (!arr) perStream.set(v.stream, (arr = []));
    arr.push(v);
  }
  const client = new ClientGuess(r);
  const restarts = detectRestarts(r);
  for (const v of r.violations) {
    const c = conns.get(v.stream);
    out.push(...fromViolation(v));
    out.push(...replyTimeout(v, c, client));
    out.push(...cpingTimeout(v, c, client, restarts.windows));
    out.push(...oversizedPacket(v, c, perStream.get(v.stream) ?? []));
  }
  for (const c of r.connectionList) out.push(...fromConnection(c));
  out.push(...restarts.evidence);
  return out.sort((a, b) => a.ts - b.ts || a.stream - b.stream);
}
