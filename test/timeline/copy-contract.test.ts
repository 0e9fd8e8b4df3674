/**
 * StreamData bytes are valid only during onData (tcp/types.ts); feed() overwrites every chunk after
 * the call. Bytes the analyzer holds while it decides whether a stream is AJP must be copies.
 */
import { describe, expect, it } from 'vitest';
import { forwardRequest, sendHeaders, END_REUSE } from '../ajp/helpers.js';
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
