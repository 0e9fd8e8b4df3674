/**
 * Behaviour kept by the speed work on the timeline path.
 *
 * StreamData bytes are valid only during onData (tcp/types.ts); feed() overwrites every chunk after
 * the call. Bytes the analyzer holds while it decides whether a stream is AJP must be copies.
 */
import { describe, expect, it } from 'vitest';
import { attr, forwardRequest, sendHeaders, END_REUSE } from '../ajp/helpers.js';
import { feed } from './feed.js';

describe('bytes held past onData are copies', () => {
  it('content detection that waits for more bytes keeps its own copy of the first pieces', () => {
    const req = forwardRequest({ uri: '/held/across/chunks' });
    const r = feed(
      [{ ws: req.subarray(0, 3) }, { ws: req.subarray(3, 20) }, { ws: req.subarray(20) }, { c: Buffer.concat([sendHeaders(200, 'OK'), END_REUSE]) }],
      { serverPort: 7777 },
    );
    expect(r.connections).toBe(1);
    expect(r.connectionList[0]!.detectedBy).toBe('content');
    expect(r.connectionList[0]!.cycles.map((c) => [c.uri, c.status])).toEqual([['/held/across/chunks', 200]]);
    expect(r.frames.MALFORMED).toBe(0);
  });
});

describe('request cycles show redacted headers and attributes once', () => {
  const req = forwardRequest({
    uri: '/login',
    headers: [
      [0xa009, 'JSESSIONID=0123456789'], // Cookie (coded)
      ['X-Custom', 'kept'],
      ['authorization', 'Basic dXNlcjpwYXNz'],
    ],
    attributes: [attr(0x0c, 's3cret')],
  });
  const rsp = [sendHeaders(200, 'OK', [[0xa007, 'sid=abcdef; Path=/']]), END_REUSE]; // Set-Cookie (coded)

  it('redacted by default, with the original byte counts', () => {
    const cy = feed([{ ws: req }, { c: rsp }], { story: true }).connectionList[0]!.cycles[0]!;
    expect(cy.headers.map((h) => [h.name, h.value])).toEqual([
      ['cookie', '[redacted, 21 bytes]'],
      ['X-Custom', 'kept'],
      ['authorization', '[redacted, 18 bytes]'],
    ]);
    expect(cy.attributes.map((a) => a.value)).toEqual(['[redacted]']);
    expect(cy.responseHeaders.map((h) => [h.name, h.value])).toEqual([['Set-Cookie', '[redacted, 18 bytes]']]);
  });

  it('shown as sent with showSecrets', () => {
    const cy = feed([{ ws: req }, { c: rsp }], { story: true, showSecrets: true }).connectionList[0]!.cycles[0]!;
    expect(cy.headers.map((h) => h.value)).toEqual(['JSESSIONID=0123456789', 'kept', 'Basic dXNlcjpwYXNz']);
    expect(cy.attributes.map((a) => a.value)).toEqual(['s3cret']);
    expect(cy.responseHeaders.map((h) => h.value)).toEqual(['sid=abcdef; Path=/']);
  });
});
