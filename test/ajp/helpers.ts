import type { RawPacket } from '../../src/ajp/index.js';

/** Bytes from a hex dump written by hand ("12 34 00 01 0A"). */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex');
}

/** One whole AJP packet (header included) as the framer would hand it over. */
export function raw(bytes: Buffer, frames: number[] = [1], ts = 0): RawPacket {
  return { magic: bytes.readUInt16BE(0), length: bytes.readUInt16BE(2), payload: bytes.subarray(4), frames, ts, offset: 0 };
}

/** AJP string: len(2) bytes NUL, or FF FF for null. */
export function str(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff]);
  const b = Buffer.from(s, 'latin1');
  const out = Buffer.alloc(b.length + 3);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

export function packet(magic: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(magic, 0);
  b.writeUInt16BE(payload.length, 2);
  return Buffer.concat([b, payload]);
}

export interface FwdSpec {
  method?: number;
  protocol?: string;
  uri?: string;
  remoteAddr?: string;
  remoteHost?: string | null;
  serverName?: string;
  port?: number;
  ssl?: boolean;
  headers?: [number | string, string | null][];
  attributes?: Buffer[];
}

/** A FORWARD_REQUEST built field by field from the ajpv13a.xml layout. */
export function forwardRequest(f: FwdSpec = {}): Buffer {
  const parts: Buffer[] = [
    Buffer.from([0x02, f.method ?? 2]),
    str(f.protocol ?? 'HTTP/1.1'),
    str(f.uri ?? '/'),
    str(f.remoteAddr ?? '127.0.0.1'),
    str(f.remoteHost === undefined ? null : f.remoteHost),
    str(f.serverName ?? 'localhost'),
    u16(f.port ?? 80),
    Buffer.from([f.ssl ? 1 : 0]),
    u16((f.headers ?? []).length),
  ];
  for (const [n, v] of f.headers ?? []) {
    parts.push(typeof n === 'number' ? u16(n) : str(n), str(v));
  }
  parts.push(...(f.attributes ?? []), Buffer.from([0xff]));
  return packet(0x1234, Buffer.concat(parts));
}

export function attr(code: number, value: string | null): Buffer {
  return Buffer.concat([Buffer.from([code]), str(value)]);
}

export function reqAttr(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x0a]), str(name), str(value)]);
}

export function body(data: Buffer | string): Buffer {
  const d = typeof data === 'string' ? Buffer.from(data) : data;
  return packet(0x1234, Buffer.concat([u16(d.length), d]));
}

export function sendHeaders(status: number, msg: string, headers: [number | string, string][] = []): Buffer {
  const parts = [Buffer.from([0x04]), u16(status), str(msg), u16(headers.length)];
  for (const [n, v] of headers) parts.push(typeof n === 'number' ? u16(n) : str(n), str(v));
  return packet(0x4142, Buffer.concat(parts));
}

export function sendBodyChunk(data: Buffer | string): Buffer {
  const d = typeof data === 'string' ? Buffer.from(data) : data;
  return packet(0x4142, Buffer.concat([Buffer.from([0x03]), u16(d.length), d, Buffer.from([0])]));
}

export const CPING = hex('12 34 00 01 0A');
export const CPONG = hex('41 42 00 01 09');
export const END_REUSE = hex('41 42 00 02 05 01');
export const END_CLOSE = hex('41 42 00 02 05 00');
export const GBC_8186 = hex('41 42 00 03 06 1F FA');
export const FLUSH = hex('41 42 00 04 03 00 00 00');
export const EMPTY_JK = hex('12 34 00 00');
export const EMPTY_PA = hex('12 34 00 02 00 00');
export function getBodyChunk(n: number): Buffer {
  return packet(0x4142, Buffer.concat([Buffer.from([0x06]), u16(n)]));
}
