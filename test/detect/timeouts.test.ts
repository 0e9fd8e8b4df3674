/**
 * Detectors for the web server giving up (reply-timeout, cping-timeout) and for oversized packets the
 * other side refused, on scripted conversations (test/timeline/feed.ts: one frame per step, 1 ms apart
 * unless dt says otherwise).
 */
import { describe, expect, it } from 'vitest';
import { detectCaptureEvidence } from '../../src/detect/index.js';
import { mayBeCpingTimeout, mayBeReplyTimeout } from '../../src/detect/timeouts.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';
import { AjpAnalyzer } from '../../src/timeline/index.js';
import { body, CPING, CPONG, END_CLOSE, END_REUSE, forwardRequest, sendBodyChunk, sendHeaders } from '../ajp/helpers.js';
import { feed, type Step } from '../timeline/feed.js';

const GET = forwardRequest({ uri: '/slow' });
const ok = [sendHeaders(200, 'OK'), sendBodyChunk('ok'), END_REUSE];

function detect(steps: Step[]) {
  return detectCaptureEvidence(feed(steps));
}

describe('reply-timeout', () => {
  it('the web server closes after the whole request and before any reply: the wait is measured', () => {
    const e = detect([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: GET }, { fin: 'ws', dt: 1.5 }]);
    expect(e.map((x) => x.kind)).toEqual(['reply-timeout']);
    expect(e[0]!.fields).toMatchObject({ waitedSeconds: 1.5, lateStatus: null, method: 'GET', uri: '/slow' });
    // The FORWARD_REQUEST frame (4) and the FIN (5).
    expect(e[0]!.frames).toEqual([4, 5]);
  });

  it("the container's reply arriving after the close is reported as late", () => {
    const e = detect([{ ws: GET }, { fin: 'ws', dt: 2 }, { c: sendHeaders(200, 'OK'), dt: 1 }, { rst: 'ws' }]);
    const t = e.filter((x) => x.kind === 'reply-timeout');
    expect(t).toHaveLength(1);
    expect(t[0]!.fields).toMatchObject({ waitedSeconds: 2, lateStatus: 200 });
  });

  it('not when a reply had started (client abort), nor after END_RESPONSE, nor on an idle connection', () => {
    expect(detect([{ ws: GET }, { c: [sendHeaders(200, 'OK'), sendBodyChunk('x')] }, { fin: 'ws', dt: 1 }]).map((x) => x.kind)).toEqual(['client-abort-download']);
    expect(detect([{ ws: GET }, { c: ok }, { fin: 'ws', dt: 5 }]).map((x) => x.kind)).toEqual([]);
  });

  it('mod_jk vs mod_proxy_ajp from the requests around it (Content-Length: 0 on a GET is mod_jk)', () => {
    const jkGet = forwardRequest({ uri: '/slow', headers: [[0xa008, '0']] });
    const jk = detect([{ ws: jkGet }, { fin: 'ws', dt: 1 }]).find((x) => x.kind === 'reply-timeout');
    expect(jk!.fields?.client).toBe('mod_jk');
    const pa = detect([{ ws: GET }, { fin: 'ws', dt: 1 }]).find((x) => x.kind === 'reply-timeout');
    expect(pa!.fields?.client).toBe('mod_proxy_ajp');
  });
  it("the client module is told from the requests around the timeout, those of connections that end after it too", () => {
    // Stream 0: a POST with its body (says nothing of the module) closed by the web server 1 s later.
    // Stream 1, ended after stream 0: mod_jk's body-less GETs (Content-Length: 0) at the same time.
    const analyzer = new AjpAnalyzer({ story: true });
    const post = forwardRequest({ method: 4, uri: '/slow', headers: [[0xa008, '5']] });
    feed([{ ws: [post, body('hello')] }, { fin: 'ws', dt: 1 }], { stream: 0, clientPort: 40000 }, analyzer);
    const jkGet = forwardRequest({ uri: '/fast', headers: [[0xa008, '0']] });
    const r = feed([{ ws: jkGet }, { c: ok }, { ws: jkGet }, { c: ok }], { stream: 1, clientPort: 40001 }, analyzer);
    expect(r.connectionList.map((c) => c.stream)).toEqual([0, 1]);
    const t = detectCaptureEvidence(r).filter((x) => x.kind === 'reply-timeout');
    expect(t).toHaveLength(1);
    expect(t[0]!.fields).toMatchObject({ method: 'POST', waitedSeconds: 1, client: 'mod_jk' });
  });
});

describe('cping-timeout', () => {
  it('a CPING right after the handshake, no CPONG before the web server closes; the late CPONG is noted', () => {
    const e = detect([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: CPING }, { fin: 'ws', dt: 1 }, { c: CPONG, dt: 2 }, { rst: 'ws' }]);
    const t = e.filter((x) => x.kind === 'cping-timeout');
    expect(t).toHaveLength(1);
    expect(t[0]!.fields).toMatchObject({ fresh: true, lateCpong: true, duringRestart: false });
    // Measured from the connection's start (its SYN) to the web server's FIN: the 1 s wait plus the handshake.
    const waited = Number(t[0]!.fields?.waitedSeconds);
    expect(waited).toBeGreaterThanOrEqual(1);
    expect(waited).toBeLessThan(1.01);
  });

  it('a CPING answered in time is nothing; one on a pooled connection is not fresh', () => {
    expect(detect([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: CPING }, { c: CPONG }, { ws: GET }, { c: ok }]).map((x) => x.kind)).toEqual([]);
    const pooled = detect([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: GET }, { c: ok }, { ws: CPING, dt: 5 }, { fin: 'ws', dt: 1 }]).filter((x) => x.kind === 'cping-timeout');
    expect(pooled).toHaveLength(1);
    expect(pooled[0]!.fields).toMatchObject({ fresh: false, waitedSeconds: null });
  });
});

describe('oversized packets', () => {
  const big = forwardRequest({ uri: '/big', headers: [[0xa009, 'x'.repeat(10000)]] });

  it('a request packet over 8192 answered 400 with reuse=0: rejected by the container', () => {
    const e = detect([{ ws: big }, { c: [sendHeaders(400, 'Bad Request'), END_CLOSE] }, { fin: 'c' }]);
    const r = e.filter((x) => x.kind === 'oversized-request-rejected');
    expect(r).toHaveLength(1);
    expect(r[0]!.fields).toMatchObject({ side: 'web-server', status: 400, uri: '/big' });
    expect(r[0]!.fields?.size).toBe(big.length);
  });

  it('the same packet served normally is no evidence (both sides configured big)', () => {
    expect(detect([{ ws: big }, { c: ok }]).map((x) => x.kind)).toEqual([]);
  });

  it('a reply packet over 8192 and the web server closing inside the cycle: rejected by the web server, once', () => {
    const chunk = sendBodyChunk(Buffer.alloc(20000, 0x61));
    const e = detect([{ ws: GET }, { c: [sendHeaders(200, 'OK'), chunk] }, { fin: 'ws' }]);
    expect(e.map((x) => x.kind)).toEqual(['oversized-reply-rejected']);
    // The size is the whole packet as announced, 4-byte header included (65536 for Tomcat's 65532-byte chunks).
    expect(e[0]!.fields).toMatchObject({ side: 'container', size: chunk.length });
    // Taken in full and the cycle finished: not rejected.
    expect(detect([{ ws: GET }, { c: [sendHeaders(200, 'OK'), chunk, END_REUSE] }]).map((x) => x.kind)).toEqual([]);
  });
});

describe('what the violation alone says (kept for the judgement at the end only then)', () => {
  const v = (kind: string, fields: Record<string, string | number | boolean | null>): CaptureEvidence => ({ source: 'capture', kind, stream: 0, frames: [1], ts: 0, detail: '', fields });
  it('a close or reset by the web server inside a cycle whose request was sent, before any reply, may be a reply timeout; one by the container may not', () => {
    expect(mayBeReplyTimeout(v('reset-in-cycle', { by: 'web-server', status: null, requestBodyComplete: true }))).toBe(true);
    expect(mayBeReplyTimeout(v('closed-in-cycle', { by: 'web-server', status: null, requestBodyComplete: true }))).toBe(true);
    expect(mayBeReplyTimeout(v('reset-in-cycle', { by: 'container', status: null, requestBodyComplete: true }))).toBe(false);
    expect(mayBeReplyTimeout(v('reset-in-cycle', { by: 'web-server', status: 200, requestBodyComplete: true }))).toBe(false);
    expect(mayBeReplyTimeout(v('reset-in-cycle', { by: 'web-server', status: null, requestBodyComplete: false }))).toBe(false);
    expect(mayBeReplyTimeout(v('reset-in-cycle', { by: 'web-server', status: null, requestBodyComplete: true, bodyAskedTs: 5 }))).toBe(false);
    expect(mayBeReplyTimeout(v('cping-unanswered', { by: 'web-server' }))).toBe(false);
    expect(mayBeCpingTimeout(v('cping-unanswered', { by: 'web-server' }))).toBe(true);
    expect(mayBeCpingTimeout(v('cping-unanswered', { by: 'container' }))).toBe(false);
  });
  it('a container resetting every connection inside its cycle gives no timeout item (its views are not kept for the end)', () => {
    const e = detect([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: GET }, { rst: 'c', dt: 0.5 }]);
    expect(e.filter((x) => x.kind === 'reply-timeout' || x.kind === 'cping-timeout')).toEqual([]);
  });
});
