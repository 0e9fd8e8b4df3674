import { describe, expect, it } from 'vitest';
import { body, CPING, CPONG, EMPTY_JK, EMPTY_PA, END_CLOSE, END_REUSE, FLUSH, forwardRequest, GBC_8186, getBodyChunk, hex, sendBodyChunk, sendHeaders } from '../ajp/helpers.js';
import { feed, kinds } from './feed.js';

const GET = forwardRequest({ uri: '/app/view' });
const ok = [sendHeaders(200, '200', [[0xa001, 'text/plain']]), sendBodyChunk('ok'), END_REUSE];
function post(cl: number | null, extra: [number | string, string][] = []) {
  const headers: [number | string, string][] = cl === null ? extra : [[0xa008, String(cl)], ...extra];
  return forwardRequest({ method: 4, uri: '/app/upload', headers });
}

describe('body versus command', () => {
  it('Content-Length > 0 gives one unasked body packet, then one per GET_BODY_CHUNK', () => {
    const r = feed([
      { ws: [post(20000), body(Buffer.alloc(8186, 1))] }, // FORWARD_REQUEST and first body in one segment
      { c: GBC_8186 },
      { ws: body(Buffer.alloc(8186, 2)) },
      { c: GBC_8186 },
      { ws: body(Buffer.alloc(3628, 3)) },
      { c: ok },
      // The servlet read exactly Content-Length: no final empty packet. The next request must be a request.
      { ws: CPING },
      { c: CPONG },
      { ws: GET },
      { c: ok },
    ]);
    expect(r.frames).toMatchObject({ FORWARD_REQUEST: 2, DATA: 3, CPING: 1, CPONG: 1, GET_BODY_CHUNK: 2, END_RESPONSE: 2, MALFORMED: 0, UNKNOWN: 0 });
    expect(r.violations).toEqual([]);
    const [c] = r.connectionList;
    expect(c!.cycles[0]).toMatchObject({ method: 'POST', requestBody: { bytes: 20000, packets: 3 }, getBodyChunks: 2, status: 200, reuse: 1, outcome: 'end-response' });
    expect(c!.cycles[1]).toMatchObject({ method: 'GET', uri: '/app/view', requestBody: { bytes: 0, packets: 0 } });
    expect(c!.cpingRtt).not.toBeNull();
  });

  it('chunked request: credit only from GET_BODY_CHUNK, ends with the empty packet (both forms)', () => {
    for (const empty of [EMPTY_JK, EMPTY_PA]) {
      const r = feed([
        { ws: post(null, [['Transfer-Encoding', 'chunked']]) },
        { c: getBodyChunk(8186) },
        { ws: body('hello') },
        { c: getBodyChunk(8186) },
        { ws: empty },
        { c: ok },
        { ws: GET },
        { c: ok },
      ]);
      expect(r.frames.DATA).toBe(2);
      expect(r.frames.FORWARD_REQUEST).toBe(2);
      expect(r.violations).toEqual([]);
      expect(r.connectionList[0]!.cycles[0]!.requestBody).toEqual({ bytes: 5, packets: 2 });
    }
  });

  it('a body packet shaped like a request is still body when credit says so', () => {
    const trap = body(forwardRequest({ uri: '/inner' }));
    const r = feed([{ ws: post(trap.length - 6) }, { ws: trap }, { c: ok }]);
    expect(r.frames.FORWARD_REQUEST).toBe(1);
    expect(r.frames.DATA).toBe(1);
  });
});

describe('violations as values', () => {
  it('CPONG awaited but another type received', () => {
    const r = feed([{ ws: GET }, { c: sendHeaders(200, '200') }, { ws: CPING }, { c: [sendBodyChunk('late'), END_REUSE] }, { c: CPONG }]);
    expect(kinds(r)).toContain('cpong-expected');
    const v = r.violations.find((x) => x.kind === 'cpong-expected')!;
    expect(v.fields).toMatchObject({ received: 'SEND_BODY_CHUNK' });
    expect(v.frames).toEqual([5]);
  });

  it('data after END_RESPONSE, reuse=0 then anything', () => {
    const r = feed([{ ws: GET }, { c: [sendHeaders(500, '500'), END_CLOSE] }, { ws: GET }]);
    expect(kinds(r)).toEqual(['end-response-no-reuse', 'data-after-end-response']);
    const r2 = feed([{ ws: GET }, { c: ok }, { c: sendBodyChunk('leftover') }, { c: FLUSH }]);
    expect(kinds(r2)).toEqual(['data-after-end-response']); // the lone flush is tolerated
  });

  it('new FORWARD_REQUEST while a cycle is open', () => {
    const r = feed([{ ws: GET }, { ws: GET }, { c: ok }]);
    expect(kinds(r)).toEqual(['forward-request-in-cycle']);
    expect(r.connectionList[0]!.cycles[0]!.outcome).toBe('superseded');
  });

  it('packet over the negotiated size', () => {
    const big = sendBodyChunk(Buffer.alloc(9000));
    const r = feed([{ ws: GET }, { c: [sendHeaders(200, '200'), big, END_REUSE] }]);
    expect(kinds(r)).toEqual(['packet-too-big']);
    expect(r.violations[0]!.fields).toMatchObject({ size: 9008, packetSize: 8192 });
    // Within the --packet-size given but over the default 8192: still seen, as a fact (not an error),
    // so the detectors can judge it by the receiver's reaction (issue 10: options never hide the wire).
    const r2 = feed([{ ws: GET }, { c: [sendHeaders(200, '200'), big, END_REUSE] }], { packetSize: 65536 });
    expect(kinds(r2)).toEqual(['packet-over-default']);
    expect(r2.violations[0]!.fields).toMatchObject({ size: 9008, packetSize: 65536, side: 'container' });
    expect(r2.connectionList[0]!.errors).toBe(0);
  });

  it('closed or reset inside a cycle, once', () => {
    expect(kinds(feed([{ ws: GET }, { c: sendHeaders(200, '200') }, { rst: 'c' }, { fin: 'ws' }]))).toEqual(['reset-in-cycle']);
    expect(kinds(feed([{ ws: GET }, { fin: 'ws' }]))).toEqual(['closed-in-cycle']);
    expect(kinds(feed([{ ws: GET }, { c: ok }, { fin: 'ws' }, { fin: 'c' }]))).toEqual([]);
  });

  it('CPING unanswered, CPING inside a cycle, SHUTDOWN, duplicate SEND_HEADERS', () => {
    expect(kinds(feed([{ ws: CPING }, { fin: 'c' }]))).toEqual(['cping-unanswered']);
    expect(kinds(feed([{ ws: GET }, { ws: CPING }, { c: ok }, { c: CPONG }]))).toEqual(['cping-in-cycle', 'cpong-expected']);
    expect(kinds(feed([{ ws: hex('12 34 00 01 07') }]))).toEqual(['unexpected-message']);
    expect(kinds(feed([{ ws: GET }, { c: [sendHeaders(200, '200'), sendHeaders(200, '200'), END_REUSE] }]))).toEqual(['duplicate-send-headers']);
  });

  it('bad magic: an HTTP connector answering on the AJP port', () => {
    const r = feed([{ ws: GET }, { c: Buffer.from('HTTP/1.1 400 \r\nContent-Length: 0\r\n\r\n') }]);
    expect(kinds(r)).toEqual(['bad-magic']);
    expect(r.violations[0]!.fields).toMatchObject({ magic: 0x4854, text: 'HTTP/1.1 400 ' });
    expect(r.frames.MALFORMED).toBe(1);
  });

  it('Ghostcat include attributes are flagged', () => {
    const fr = forwardRequest({ attributes: [Buffer.concat([Buffer.from([0x0a]), hex('00 21'), Buffer.from('javax.servlet.include.request_uri\0'), hex('00 01 2F 00')])] });
    expect(kinds(feed([{ ws: fr }, { c: ok }]))).toEqual(['include-attribute']);
  });
});

describe('resynchronisation', () => {
  it('a capture that starts mid-packet skips to the next real header and loses nothing after it', () => {
    const first = forwardRequest({ uri: '/first' });
    const r = feed(
      [{ ws: first.subarray(10) }, { c: ok }, { ws: forwardRequest({ uri: '/second' }) }, { c: ok }, { ws: CPING }, { c: CPONG }],
      { fromStart: false },
    );
    expect(r.frames.FORWARD_REQUEST).toBe(1);
    expect(r.frames.CPING).toBe(1);
    expect(r.connectionList[0]!.cycles.map((c) => c.uri)).toEqual(['/second']);
    expect(kinds(r)).toContain('resync');
    expect(kinds(r).filter((k) => k !== 'resync')).toEqual([]);
  });

  it('after a TCP gap inside a request the next request is found', () => {
    const req = forwardRequest({ uri: '/lost' });
    const r = feed([
      { ws: req.subarray(0, 20) },
      { gap: 'ws', bytes: req.length - 40 },
      { ws: req.subarray(req.length - 20) },
      { ws: forwardRequest({ uri: '/next' }) },
      { c: ok },
    ]);
    expect(r.frames.MALFORMED).toBe(1); // the cut-short packet, named as such
    expect(r.connectionList[0]!.cycles.map((c) => c.uri)).toEqual(['/next']);
  });
});

describe('where AJP is', () => {
  it('on a port not listed, by content; the web server is the side sending 12 34 even if it accepted the connection', () => {
    const r = feed([{ ws: GET }, { c: ok }], { serverPort: 7777 });
    expect(r.connections).toBe(1);
    expect(r.connectionList[0]!.detectedBy).toBe('content');
    // Roles reversed: the TCP client (port 40000) answers with "AB".
    const rev = feed([{ c: GET }, { ws: ok }], { serverPort: 7777 });
    expect(rev.connectionList[0]!.webServer).toEqual({ addr: '10.0.0.2', port: 7777 });
    expect(rev.frames.FORWARD_REQUEST).toBe(1);
    // Not AJP: costs nothing, reports nothing.
    expect(feed([{ ws: Buffer.from('GET / HTTP/1.1\r\n\r\n') }], { serverPort: 7777 }).connections).toBe(0);
  });

  it('on a port not listed, picked up mid-packet', () => {
    const first = forwardRequest({ uri: '/cut' });
    const r = feed([{ ws: Buffer.concat([first.subarray(7), GET]) }, { c: ok }], { serverPort: 7777, fromStart: false });
    expect(r.connections).toBe(1);
    expect(r.connectionList[0]!.cycles.map((c) => c.uri)).toEqual(['/app/view']);
  });
});
