import { describe, expect, it } from 'vitest';
import { detectCaptureEvidence } from '../../src/detect/index.js';
import { body, CPING, CPONG, END_CLOSE, END_REUSE, forwardRequest, reqAttr, sendBodyChunk, sendHeaders } from '../ajp/helpers.js';
import { feed, type Step } from '../timeline/feed.js';

function kinds(steps: Step[]): string[] {
  return detectCaptureEvidence(feed(steps)).map((e) => e.kind);
}
const GET = forwardRequest({ uri: '/x' });
const ok = [sendHeaders(200, '200'), sendBodyChunk('ok'), END_REUSE];

describe('capture detectors', () => {
  it('connect refused and SYN unanswered', () => {
    expect(kinds([{ tcp: 'syn', from: 'ws' }, { tcp: 'rst', from: 'c' }])).toEqual(['connect-refused']);
    expect(kinds([{ tcp: 'syn', from: 'ws' }, { tcp: 'retransmission', from: 'ws' }])).toEqual(['syn-unanswered']);
    expect(kinds([{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: GET }, { c: ok }])).toEqual([]);
  });

  it('a CPING after a long silence, only retransmitted, never answered', () => {
    const steps: Step[] = [{ ws: CPING }, { c: CPONG }, { ws: GET }, { c: ok }, { ws: CPING, dt: 600 }, { tcp: 'retransmission', from: 'ws' }, { tcp: 'retransmission', from: 'ws' }];
    const e = detectCaptureEvidence(feed(steps));
    expect(e.map((x) => x.kind)).toEqual(['idle-connection-dropped']);
    expect(e[0]!.fields).toMatchObject({ retransmissions: 2, type: 'CPING' });
    // Answered after the silence: nothing.
    expect(kinds([{ ws: GET }, { c: ok }, { ws: CPING, dt: 600 }, { c: CPONG }])).toEqual([]);
  });

  it('the container closes an idle pooled connection; not after reuse=0', () => {
    expect(kinds([{ ws: GET }, { c: ok }, { fin: 'c', dt: 30 }])).toEqual(['backend-idle-close']);
    expect(kinds([{ ws: GET }, { c: [sendHeaders(500, '500'), END_CLOSE] }, { fin: 'c' }])).toEqual([]);
  });

  it('client aborts: download after SEND_HEADERS, upload while the body is still due', () => {
    expect(kinds([{ ws: GET }, { c: [sendHeaders(200, '200'), sendBodyChunk('part')] }, { fin: 'ws' }])).toEqual(['client-abort-download']);
    const post = forwardRequest({ method: 4, headers: [[0xa008, '100000']] });
    expect(kinds([{ ws: [post, body(Buffer.alloc(8186))] }, { fin: 'ws' }])).toEqual(['client-abort-upload']);
    // Everything sent, the web server closes while Tomcat works: neither abort, a reply timeout (timeouts.test.ts).
    expect(kinds([{ ws: GET }, { fin: 'ws' }])).toEqual(['reply-timeout']);
  });

  it('403 with reuse=0: secret-rejected, unless an attribute Tomcat rejects was sent', () => {
    const forbidden = [sendHeaders(403, '403'), sendBodyChunk('no'), END_CLOSE];
    expect(kinds([{ ws: GET }, { c: forbidden }])).toEqual(['secret-rejected']);
    const odd = forwardRequest({ attributes: [reqAttr('MY_VAR', '1')] });
    expect(kinds([{ ws: odd }, { c: forbidden }])).toEqual(['unknown-attribute']);
  });

  it('an HTTP reply on the AJP port', () => {
    expect(kinds([{ ws: GET }, { c: Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n') }])).toEqual(['non-ajp-reply']);
  });
});
