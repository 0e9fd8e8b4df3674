import { describe, expect, it } from 'vitest';
import { decodePacket, METHODS, plausibleMessage } from '../../src/ajp/index.js';
import type { AjpMessage } from '../../src/ajp/index.js';
import { attr, CPING, CPONG, EMPTY_JK, EMPTY_PA, END_CLOSE, END_REUSE, FLUSH, forwardRequest, GBC_8186, hex, packet, raw, reqAttr, sendHeaders, str, u16 } from './helpers.js';

/** ajp13-reference.md §3.3: a mod_proxy_ajp GET with a secret, HostnameLookups Off (remote_host FF FF). */
const REF_GET = hex(`
12 34 00 B8 02 02 00 08 48 54 54 50 2F 31 2E 31
00 00 09 2F 61 70 70 2F 76 69 65 77 00 00 0C 31
39 38 2E 35 31 2E 31 30 30 2E 37 00 FF FF 00 0F
77 77 77 2E 65 78 61 6D 70 6C 65 2E 63 6F 6D 00
00 50 00 00 03 A0 0B 00 0F 77 77 77 2E 65 78 61
6D 70 6C 65 2E 63 6F 6D 00 A0 0E 00 0A 63 75 72
6C 2F 38 2E 35 2E 30 00 A0 01 00 03 2A 2F 2A 00
0C 00 06 73 33 63 72 33 74 00 05 00 04 69 64 3D
37 00 0A 00 0F 41 4A 50 5F 52 45 4D 4F 54 45 5F
50 4F 52 54 00 00 05 35 31 32 33 34 00 0A 00 0E
41 4A 50 5F 4C 4F 43 41 4C 5F 41 44 44 52 00 00
09 31 39 32 2E 30 2E 32 2E 31 00 FF`);

const REF_HEADERS = Buffer.concat([
  hex('41 42 00 2E 04 00 C8 00 03 32 30 30 00 00 02 A0 01 00 18'),
  Buffer.from('text/plain;charset=UTF-8'),
  hex('00 A0 03 00 01 32 00'),
]);

function ws(b: Buffer, asBody = false): AjpMessage {
  return decodePacket(raw(b), 'web-server', asBody);
}
function ct(b: Buffer): AjpMessage {
  return decodePacket(raw(b), 'container');
}

describe('FORWARD_REQUEST', () => {
  it('decodes the reference GET field by field', () => {
    const m = ws(REF_GET);
    expect(m.type).toBe('FORWARD_REQUEST');
    if (m.type !== 'FORWARD_REQUEST') return;
    expect(m.length).toBe(184);
    expect(m.method).toBe('GET');
    expect(m.protocol).toBe('HTTP/1.1');
    expect(m.uri).toBe('/app/view');
    expect(m.remoteAddr).toBe('198.51.100.7');
    expect(m.remoteHost).toBeNull(); // FF FF: null, not ""
    expect(m.serverName).toBe('www.example.com');
    expect(m.serverPort).toBe(80);
    expect(m.isSsl).toBe(false);
    expect(m.headers).toEqual([
      { name: 'host', value: 'www.example.com', code: 0xa00b },
      { name: 'user-agent', value: 'curl/8.5.0', code: 0xa00e },
      { name: 'accept', value: '*/*', code: 0xa001 },
    ]);
    expect(m.attributes).toEqual([
      { code: 0x0c, name: 'secret', value: 's3cr3t' },
      { code: 0x05, name: 'query_string', value: 'id=7' },
      { code: 0x0a, name: 'AJP_REMOTE_PORT', value: '51234', request: true },
      { code: 0x0a, name: 'AJP_LOCAL_ADDR', value: '192.0.2.1', request: true },
    ]);
    expect(m.query).toBe('id=7');
    expect(m.contentLength).toBeNull();
    expect(m.issues).toBeUndefined();
  });

  it('keeps a null string distinct from an empty one', () => {
    const m = ws(forwardRequest({ remoteHost: '', headers: [['X-Null', null]] }));
    if (m.type !== 'FORWARD_REQUEST') throw new Error(m.type);
    expect(m.remoteHost).toBe('');
    expect(m.headers[0]).toEqual({ name: 'X-Null', value: null });
  });

  it('names methods 1..27 and reads 0xFF from stored_method', () => {
    for (let code = 1; code <= 27; code++) {
      const m = ws(forwardRequest({ method: code }));
      expect(m.type === 'FORWARD_REQUEST' && m.method).toBe(METHODS[code]);
    }
    expect(METHODS[22]).toBe('MKWORKSPACE');
    expect(METHODS[27]).toBe('MKACTIVITY');
    const m = ws(forwardRequest({ method: 0xff, attributes: [attr(0x0d, 'PATCH')] }));
    expect(m.type === 'FORWARD_REQUEST' && [m.methodCode, m.method]).toEqual([0xff, 'PATCH']);
    const bad = ws(forwardRequest({ method: 28 }));
    expect(bad.type === 'FORWARD_REQUEST' && bad.method).toBeNull();
    expect(bad.issues?.join()).toMatch(/method code 28 is invalid/);
  });

  it('reads every attribute code 0x01..0x0D, ssl_key_size as an integer', () => {
    const attrs = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => attr(c, `v${c}`));
    attrs.push(reqAttr('JK_LB_ACTIVATION', 'ACT'), Buffer.concat([Buffer.from([0x0b]), u16(256)]), attr(0x0c, 'x'), attr(0x0d, 'GET'));
    const m = ws(forwardRequest({ attributes: attrs }));
    if (m.type !== 'FORWARD_REQUEST') throw new Error(m.type);
    expect(m.attributes.map((a) => a.name)).toEqual([
      'context', 'servlet_path', 'remote_user', 'auth_type', 'query_string', 'route', 'ssl_cert', 'ssl_cipher',
      'ssl_session', 'JK_LB_ACTIVATION', 'ssl_key_size', 'secret', 'stored_method',
    ]);
    expect(m.attributes.find((a) => a.name === 'ssl_key_size')?.value).toBe(256);
  });

  it('takes Content-Length from a coded or a string-named header, and sees chunked', () => {
    const a = ws(forwardRequest({ method: 4, headers: [[0xa008, '20000']] }));
    expect(a.type === 'FORWARD_REQUEST' && a.contentLength).toBe(20000);
    const b = ws(forwardRequest({ method: 4, headers: [['Content-Length', '12']] }));
    expect(b.type === 'FORWARD_REQUEST' && b.contentLength).toBe(12);
    const c = ws(forwardRequest({ method: 4, headers: [['Transfer-Encoding', 'chunked']] }));
    expect(c.type === 'FORWARD_REQUEST' && [c.contentLength, c.chunked]).toEqual([null, true]);
  });

  it('flags an invalid header code and an unknown attribute without throwing', () => {
    const m = ws(forwardRequest({ headers: [[0xa0ff, 'x']], attributes: [attr(0x0e, 'zz')] }));
    expect(m.type).toBe('FORWARD_REQUEST');
    expect(m.issues?.join('\n')).toMatch(/header code 0xA0FF is invalid/);
    expect(m.issues?.join('\n')).toMatch(/unknown attribute code 0x0E/);
  });

  it('turns a truncated request into MALFORMED with a reason', () => {
    const full = forwardRequest({ uri: '/x' });
    const cut = packet(0x1234, full.subarray(4, 20));
    const m = ws(cut);
    expect(m.type).toBe('MALFORMED');
    expect(m.type === 'MALFORMED' && m.reason).toMatch(/^FORWARD_REQUEST: .* needs/);
    const noEnd = packet(0x1234, full.subarray(4, full.length - 1)); // are_done missing
    expect(ws(noEnd).type).toBe('MALFORMED');
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    for (let i = 0; i < 3000; i++) {
      const n = rnd() % 80;
      const p = Buffer.from(Array.from({ length: n }, rnd));
      if (i % 2 === 0 && n > 0) p[0] = 2;
      const b = packet(i % 3 === 0 ? 0x4142 : 0x1234, p);
      expect(() => ws(b)).not.toThrow();
      expect(() => ws(b, true)).not.toThrow();
      expect(() => ct(b)).not.toThrow();
    }
  });
});

describe('web server → container, other messages', () => {
  it('CPING, SHUTDOWN and PING are their own types', () => {
    expect(ws(CPING).type).toBe('CPING');
    expect(ws(hex('12 34 00 01 07')).type).toBe('SHUTDOWN');
    expect(ws(hex('12 34 00 01 08')).type).toBe('PING');
  });
  it('names AJP14 codes and reports other codes as UNKNOWN', () => {
    const m = ws(hex('12 34 00 01 10'));
    expect(m.type === 'UNKNOWN' && [m.code, m.name]).toEqual([0x10, 'AJP14_LOGINIT']);
    const u = ws(hex('12 34 00 01 01'));
    expect(u.type === 'UNKNOWN' && u.name).toBeNull();
  });
  it('names AJP14-framed packets (magic 0x1235)', () => {
    const m = ws(hex('12 35 00 01 10'));
    expect(m.type === 'UNKNOWN' && [m.code, m.name]).toEqual([0x10, 'AJP14_LOGINIT']);
    expect(ws(hex('12 35 00 01 55')).type).toBe('MALFORMED');
  });
  it('reads body packets and both empty forms', () => {
    const b = ws(hex('12 34 00 05 00 03 61 62 63'), true);
    expect(b.type === 'DATA' && [b.chunkLength, b.empty]).toEqual([3, false]);
    const jk = ws(EMPTY_JK, true);
    expect(jk.type === 'DATA' && [jk.chunkLength, jk.empty]).toEqual([null, true]);
    const pa = ws(EMPTY_PA, true);
    expect(pa.type === 'DATA' && [pa.chunkLength, pa.empty]).toEqual([0, true]);
  });
  it('a bad magic is MALFORMED and says what it looks like', () => {
    const m = ws(Buffer.from('GET / HTTP/1.1\r\n'));
    expect(m.type === 'MALFORMED' && m.reason).toMatch(/bad magic 0x4745 \("GE"\)/);
  });
});

describe('container → web server', () => {
  it('SEND_HEADERS of the reference response', () => {
    const m = ct(REF_HEADERS);
    expect(m.type).toBe('SEND_HEADERS');
    if (m.type !== 'SEND_HEADERS') return;
    expect([m.status, m.message]).toEqual([200, '200']);
    expect(m.headers).toEqual([
      { name: 'Content-Type', value: 'text/plain;charset=UTF-8', code: 0xa001 },
      { name: 'Content-Length', value: '2', code: 0xa003 },
    ]);
  });
  it('SEND_BODY_CHUNK with the NUL after the data, and the flush', () => {
    const m = ct(hex('41 42 00 06 03 00 02 6F 6B 00'));
    expect(m.type === 'SEND_BODY_CHUNK' && [m.chunkLength, m.trailingNul, m.flush]).toEqual([2, true, false]);
    const f = ct(FLUSH);
    expect(f.type === 'SEND_BODY_CHUNK' && [f.chunkLength, f.flush]).toEqual([0, true]);
    const noNul = ct(hex('41 42 00 05 03 00 02 6F 6B'));
    expect(noNul.type === 'SEND_BODY_CHUNK' && noNul.trailingNul).toBe(false);
    expect(noNul.issues?.[0]).toMatch(/no NUL/);
    expect(ct(hex('41 42 00 04 03 00 09 6F')).type).toBe('MALFORMED');
  });
  it('END_RESPONSE reuse, GET_BODY_CHUNK length, CPONG', () => {
    expect(ct(END_REUSE)).toMatchObject({ type: 'END_RESPONSE', reuse: 1 });
    expect(ct(END_CLOSE)).toMatchObject({ type: 'END_RESPONSE', reuse: 0 });
    expect(ct(hex('41 42 00 01 05'))).toMatchObject({ type: 'END_RESPONSE', reuse: null });
    expect(ct(GBC_8186)).toMatchObject({ type: 'GET_BODY_CHUNK', requestedLength: 8186 });
    expect(ct(CPONG).type).toBe('CPONG');
    expect(ct(hex('41 42 00 01 02')).type).toBe('UNKNOWN');
  });
  it('keeps frame numbers and the string helper matches the wire', () => {
    expect(str(null)).toEqual(hex('FF FF'));
    const m = decodePacket(raw(CPONG, [5, 6], 1.5), 'container');
    expect([m.frames, m.ts]).toEqual([[5, 6], 1.5]);
  });
});

describe('plausibleMessage (resynchronisation) agrees with the decoder', () => {
  // plausibleMessage walks FORWARD_REQUEST / SEND_HEADERS without making strings (framer.ts tries it
  // at many offsets): it must accept exactly the payloads the decoder reads as that type.
  const fwd = forwardRequest({ uri: '/app/x', headers: [[0xa00b, 'host'], ['X-Custom', 'v']], attributes: [attr(0x05, 'a=1'), reqAttr('name', 'value')] });
  const hdrs = sendHeaders(200, 'OK', [[0xa001, 'text/html'], ['X-Thing', 'y']]);
  const cases: Array<[Buffer, 'web-server' | 'container', string]> = [
    [fwd, 'web-server', 'FORWARD_REQUEST'],
    [hdrs, 'container', 'SEND_HEADERS'],
  ];
  it('on every truncation and every single-byte change of a real-shaped message', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (const [pkt, side, type] of cases) {
      const payload = pkt.subarray(4);
      const variants: Buffer[] = [];
      for (let n = 1; n <= payload.length; n++) variants.push(payload.subarray(0, n));
      for (let i = 1; i < payload.length; i++) {
        for (const v of [0x00, 0xff, 0xa0, 0x01, rnd() & 0xff]) {
          const b = Buffer.from(payload);
          b[i] = v;
          variants.push(b);
        }
      }
      for (const b of variants) {
        const decoded = decodePacket({ magic: side === 'web-server' ? 0x1234 : 0x4142, length: b.length, payload: b, frames: [1], ts: 0, offset: 0 }, side);
        const m = b[1];
        const methodOk = side === 'container' || (m !== undefined && (m === 0xff || (m >= 1 && m < METHODS.length)));
        expect(plausibleMessage(b, b.length, side)).toBe(methodOk && decoded.type === type);
      }
    }
  });
});
