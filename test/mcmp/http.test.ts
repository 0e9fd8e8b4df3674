import { describe, expect, it } from 'vitest';
import { HttpReader, type HttpMessage } from '../../src/mcmp/http.js';
import { chunked200, error500, javaRequest } from './conversation.js';

function read(kind: 'request' | 'response', bytes: string, sizes?: number[]): { msgs: HttpMessage[]; reader: HttpReader } {
  const msgs: HttpMessage[] = [];
  const reader = new HttpReader({ kind }, (m) => msgs.push(m));
  const buf = Buffer.from(bytes, 'latin1');
  let pos = 0;
  let frame = 100;
  for (let i = 0; pos < buf.length; i++) {
    const n = sizes ? (sizes[i] ?? buf.length - pos) : buf.length;
    reader.push(buf.subarray(pos, pos + n), [frame++], 10 + i, pos);
    pos += n;
  }
  return { msgs, reader };
}

describe('HttpReader: requests', () => {
  const status = javaRequest('STATUS', '/', 'JVMRoute=node1&Load=100');

  it('reads a Java STATUS request with its Content-Length body', () => {
    const { msgs } = read('request', status);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].head).toMatchObject({ method: 'STATUS', uri: '/', version: 'HTTP/1.1' });
    expect(msgs[0].head.headers).toEqual([
      ['Host', '10.0.0.5:6666'],
      ['Content-Length', '23'],
      ['User-Agent', 'ClusterListener/1.0'],
      ['Connection', 'Keep-Alive'],
    ]);
    expect(msgs[0].body?.toString()).toBe('JVMRoute=node1&Load=100');
    expect(msgs[0].framing).toBe('content-length');
  });

  it('gives the same message when fed one byte at a time, with every frame that carried it', () => {
    const { msgs } = read('request', status, new Array(status.length).fill(1));
    expect(msgs).toHaveLength(1);
    expect(msgs[0].body?.toString()).toBe('JVMRoute=node1&Load=100');
    expect(msgs[0].frames).toHaveLength(status.length);
    expect(msgs[0].frames[0]).toBe(100);
    expect(msgs[0].ts).toBe(10);
  });

  it('reads several keep-alive requests from one segment, and a body-less INFO', () => {
    const two = javaRequest('INFO', '/', '') + status + javaRequest('REMOVE-APP', '/*', 'JVMRoute=node1');
    const { msgs } = read('request', two);
    expect(msgs.map((m) => `${m.head.method} ${m.head.uri} ${m.bodyLength}`)).toEqual(['INFO / 0', 'STATUS / 23', 'REMOVE-APP /* 14']);
    expect(msgs[1].start).toBe(javaRequest('INFO', '/', '').length);
  });

  it('stops with a reason on bytes that are not HTTP, without throwing', () => {
    const { msgs, reader } = read('request', '\x12\x34\x00\x01\x0a\x00\x00\x00\x00\x00');
    expect(msgs).toHaveLength(0);
    expect(reader.dead).toBe(true);
    expect(reader.deadReason).toMatch(/not an HTTP/);
  });

  it('stops at a gap in the stream', () => {
    const msgs: HttpMessage[] = [];
    const r = new HttpReader({ kind: 'request' }, (m) => msgs.push(m));
    r.push(Buffer.from('STATUS / HTTP/1.1\r\n'), [1], 1, 0);
    r.push(Buffer.from('Host: x\r\n\r\n'), [3], 2, 40);
    expect(r.dead).toBe(true);
    expect(r.deadReason).toBe('gap of 21 bytes in the stream');
  });
});

describe('HttpReader: responses', () => {
  const body = 'Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1782712345123456\n';

  it('de-chunks a chunked answer whose zero chunk comes in its own segment', () => {
    const bytes = chunked200(body);
    const { msgs } = read('response', bytes, [bytes.length - 5, 5]);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].framing).toBe('chunked');
    expect(msgs[0].body?.toString()).toBe(body);
    expect(msgs[0].frames).toEqual([100, 101]);
    expect(msgs[0].complete).toBe(true);
  });

  it('reads an empty chunked answer (CONFIG) as an empty body', () => {
    const { msgs } = read('response', chunked200(''));
    expect(msgs[0].bodyLength).toBe(0);
    expect(msgs[0].framing).toBe('chunked');
  });

  it('handles chunks split anywhere: inside the size line, the data and the CRLFs', () => {
    const bytes = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + '19;ext=1\r\nType=STATUS-RSP&JVMRoute=\r\n' + '5\r\nnode1\r\n0\r\nX-Trailer: a\r\n\r\n';
    for (const size of [1, 2, 3, 7, 13]) {
      const { msgs } = read('response', bytes, new Array(Math.ceil(bytes.length / size)).fill(size));
      expect(msgs.map((m) => m.body?.toString())).toEqual(['Type=STATUS-RSP&JVMRoute=node1']);
    }
  });

  it('reads a 500 with Content-Length, split across segments, then the next answer', () => {
    const bytes = error500('MEM', 'MEM: Can\'t read node with "node1" JVMRoute') + chunked200('');
    const { msgs } = read('response', bytes, [60, 100, 3]);
    expect(msgs.map((m) => [m.head.status, m.framing])).toEqual([
      [500, 'content-length'],
      [200, 'chunked'],
    ]);
  });

  it('keeps a literal reason phrase such as Tomcat\'s "501 501", and an empty one', () => {
    expect(read('response', 'HTTP/1.1 501 501\r\nContent-Length: 0\r\n\r\n').msgs[0].head.reason).toBe('501');
    expect(read('response', 'HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n').msgs[0].head.reason).toBe('');
  });

  it('ends a close-delimited body at the end of the stream; a cut body is marked incomplete', () => {
    const msgs: HttpMessage[] = [];
    const r = new HttpReader({ kind: 'response' }, (m) => msgs.push(m));
    r.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\nrelease: x, protocol: 0.2.1\n'), [1], 1, 0);
    expect(msgs).toHaveLength(0);
    r.end();
    expect(msgs[0]).toMatchObject({ framing: 'close', complete: true, bodyLength: 28 });

    const cut: HttpMessage[] = [];
    const r2 = new HttpReader({ kind: 'response' }, (m) => cut.push(m));
    r2.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'), [1], 1, 0);
    r2.end('capture ended');
    expect(cut[0]).toMatchObject({ complete: false, bodyLength: 3, problem: 'capture ended before the body was complete' });
  });

  it('gives up on a broken chunk size with a reason', () => {
    const { msgs, reader } = read('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    expect(msgs).toHaveLength(0);
    expect(reader.deadReason).toBe('bad chunk-size line "zz"');
  });
});

describe('HttpReader: bounded memory', () => {
  it('skips a 20 MB body of a non-MCMP answer without keeping it, in 20 000 segments', () => {
    const msgs: HttpMessage[] = [];
    const r = new HttpReader({ kind: 'response', keepBody: () => false }, (m) => msgs.push(m));
    const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 20480000\r\n\r\n');
    r.push(head, [1], 1, 0);
    const seg = Buffer.alloc(1024, 0x61);
    let off = head.length;
    for (let i = 0; i < 20000; i++) {
      r.push(seg, [i + 2], 1 + i / 1000, off);
      off += seg.length;
    }
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ body: null, bodyLength: 20480000, complete: true });
    expect(msgs[0].frames.length).toBeLessThanOrEqual(1024 + 512);
    expect(msgs[0].frames.slice(0, 3)).toEqual([1, 2, 3]);
  });
});
