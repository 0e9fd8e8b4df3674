/**
 * Seeded mutators for the fuzz harness (issue 15): what damaged captures and mangled pastes look
 * like in the field, made reproducible. Every mutator takes a `Rng` (mulberry32, so a case is
 * replayed from its seed alone) and returns new bytes / text; none throws.
 *
 * Captures: generic byte damage (bit flips, overwrites, truncation, deletions, duplications,
 * insertions), record-level damage on pcap / pcapng (length fields set to 0 / huge / odd, records
 * duplicated, swapped, reversed, dropped — retransmissions, out-of-order, gaps — with different
 * bytes in a duplicate), pcapng IDB options (`if_tsresol` 9, `if_tsoffset` 14) rewritten with
 * hostile values, AJP length and string-length fields (after `12 34` / `AB`) set to 0 / 0xFFFF,
 * and gzip around any of it (whole or cut).
 *
 * Logs: CR-only and CRLF line ends, wraps, splices, duplicated runs, NUL bytes, invalid UTF-8,
 * UTF-16 with and without BOM, timestamps with 400 fraction digits, long lines, paste frames.
 */
import { gzipSync } from 'node:zlib';

export type Rng = () => number;

/** mulberry32: a tiny seeded PRNG (public domain), enough for reproducible fuzz cases. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Values that break length arithmetic. */
const HOSTILE_U32 = [0, 1, 3, 7, 8, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 65535, 65536, 262144, 0x1000000];
const HOSTILE_U16 = [0, 1, 2, 3, 0x7fff, 0x8000, 0xfffe, 0xffff];

// ---------------------------------------------------------------------------------------------
// Generic byte damage

function bitFlips(r: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  if (out.length === 0) return out;
  const n = 1 + int(r, 8);
  for (let i = 0; i < n; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
  return out;
}

function overwrite(r: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  if (out.length === 0) return out;
  const n = 1 + int(r, 16);
  const at = int(r, out.length);
  const v = pick(r, [0x00, 0xff, 0x7f, 0x80, 0x12, 0x34, 0x41, 0x42]);
  for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = r() < 0.5 ? v : int(r, 256);
  return out;
}

function truncate(r: Rng, b: Buffer): Buffer {
  return b.subarray(0, int(r, b.length + 1));
}

function deleteRange(r: Rng, b: Buffer): Buffer {
  if (b.length < 2) return b;
  const at = int(r, b.length);
  const n = 1 + int(r, Math.min(4096, b.length - at));
  return Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
}

function duplicateRange(r: Rng, b: Buffer): Buffer {
  if (b.length < 2) return b;
  const at = int(r, b.length);
  const n = 1 + int(r, Math.min(4096, b.length - at));
  return Buffer.concat([b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n)]);
}

function insertRandom(r: Rng, b: Buffer): Buffer {
  const at = int(r, b.length + 1);
  const ins = Buffer.alloc(1 + int(r, 64));
  for (let i = 0; i < ins.length; i++) ins[i] = int(r, 256);
  return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
}

// ---------------------------------------------------------------------------------------------
// Capture structure

export interface Record_ {
  /** Offset of the record (pcap: its 16-byte header; pcapng: the block) and its whole length. */
  start: number;
  end: number;
  /** pcapng block type (pcap: -1). */
  type: number;
}

export interface Layout {
  kind: 'pcap' | 'pcapng' | 'other';
  le: boolean;
  /** The file header (pcap: 24 bytes; pcapng: none, the SHB is a record). */
  headerEnd: number;
  records: Record_[];
}

/** The records of a capture, as far as they frame cleanly (the rest is left alone). */
export function layout(b: Buffer): Layout {
  if (b.length >= 24) {
    const m = b.readUInt32LE(0);
    if (m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xd4c3b2a1 || m === 0x4d3cb2a1) {
      const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
      const records: Record_[] = [];
      let off = 24;
      while (off + 16 <= b.length) {
        const incl = le ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
        const end = off + 16 + incl;
        if (end > b.length) break;
        records.push({ start: off, end, type: -1 });
        off = end;
      }
      return { kind: 'pcap', le, headerEnd: 24, records };
    }
    if (m === 0x0a0d0d0a) {
      const bom = b.readUInt32LE(8);
      const le = bom === 0x1a2b3c4d;
      const records: Record_[] = [];
      let off = 0;
      while (off + 12 <= b.length) {
        const type = le ? b.readUInt32LE(off) : b.readUInt32BE(off);
        const len = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
        if (len < 12 || len % 4 !== 0 || off + len > b.length) break;
        records.push({ start: off, end: off + len, type });
        off += len;
      }
      return { kind: 'pcapng', le, headerEnd: 0, records };
    }
  }
  return { kind: 'other', le: true, headerEnd: 0, records: [] };
}

/** Keeps the first records of a capture up to about `max` bytes (a small seed from a large sample). */
export function firstRecords(b: Buffer, max: number): Buffer {
  const l = layout(b);
  if (l.kind === 'other' || b.length <= max) return b;
  let end = l.headerEnd;
  for (const rec of l.records) {
    if (rec.end > max && end > l.headerEnd) break;
    end = rec.end;
  }
  return b.subarray(0, end);
}

function writeU32(b: Buffer, off: number, v: number, le: boolean): void {
  if (off + 4 > b.length) return;
  if (le) b.writeUInt32LE(v >>> 0, off);
  else b.writeUInt32BE(v >>> 0, off);
}

/** A record's length field (pcap incl_len / orig_len, pcapng block length or packet lengths) set hostile. */
function recordLengths(r: Rng, b: Buffer): Buffer {
  const l = layout(b);
  if (l.records.length === 0) return bitFlips(r, b);
  const out = Buffer.from(b);
  const rec = pick(r, l.records);
  const v = r() < 0.7 ? pick(r, HOSTILE_U32) : int(r, 0x100000000);
  if (l.kind === 'pcap') writeU32(out, rec.start + (r() < 0.6 ? 8 : 12), v, l.le);
  else {
    const which = int(r, 4);
    // block total length (front or back), or an EPB's captured / original length
    const off = which === 0 ? rec.start + 4 : which === 1 ? rec.end - 4 : rec.type === 6 ? rec.start + 20 + (which - 2) * 4 : rec.start + 4;
    writeU32(out, off, v, l.le);
  }
  return out;
}

/** Record timestamps set to extremes (pcap ts_sec / ts_usec, pcapng EPB ts high / low). */
function recordTimes(r: Rng, b: Buffer): Buffer {
  const l = layout(b);
  if (l.records.length === 0) return b;
  const out = Buffer.from(b);
  const rec = pick(r, l.records);
  const v = pick(r, [0, 0xffffffff, 0x7fffffff, 0x80000000, 999999999, 1000000, int(r, 0x100000000)]);
  if (l.kind === 'pcap') writeU32(out, rec.start + int(r, 2) * 4, v, l.le);
  else if (rec.type === 6) writeU32(out, rec.start + 12 + int(r, 2) * 4, v, l.le);
  return out;
}

/** Records duplicated (retransmission, perhaps with other bytes), swapped, reversed or dropped. */
function recordOrder(r: Rng, b: Buffer): Buffer {
  const l = layout(b);
  const body = l.records.filter((x) => l.kind === 'pcap' || x.type === 6 || x.type === 3);
  if (body.length < 2) return truncate(r, b);
  const head = b.subarray(0, body[0]!.start);
  const tailStart = body[body.length - 1]!.end;
  let parts = body.map((x) => b.subarray(x.start, x.end));
  const i = int(r, parts.length);
  const j = Math.min(parts.length, i + 1 + int(r, 50));
  switch (int(r, 5)) {
    case 0: {
      // a retransmission, one time in two with different bytes
      const copy = Buffer.from(parts[i]!);
      parts.splice(i + 1 + int(r, 3), 0, r() < 0.5 ? bitFlips(r, copy) : copy);
      break;
    }
    case 1:
      if (i + 1 < parts.length) [parts[i], parts[i + 1]] = [parts[i + 1]!, parts[i]!];
      break;
    case 2:
      parts = [...parts.slice(0, i), ...parts.slice(i, j).reverse(), ...parts.slice(j)];
      break;
    case 3:
      parts.splice(i, 1 + int(r, 5));
      break;
    default: {
      // one record many times (port reuse, a storm of the same packet)
      const n = 2 + int(r, 200);
      parts.splice(i, 0, ...Array.from({ length: n }, () => parts[i]!));
    }
  }
  return Buffer.concat([head, ...parts, b.subarray(tailStart)]);
}

/** A pcapng IDB with hostile if_tsresol (9) / if_tsoffset (14) options: the IDB rebuilt with them. */
function pcapngIdbOptions(r: Rng, b: Buffer): Buffer {
  const l = layout(b);
  if (l.kind !== 'pcapng') return recordTimes(r, b);
  const idbs = l.records.filter((x) => x.type === 1);
  if (idbs.length === 0) return bitFlips(r, b);
  const idb = pick(r, idbs);
  const le = l.le;
  const opts: Buffer[] = [];
  const opt = (code: number, value: Buffer): void => {
    const h = Buffer.alloc(4);
    if (le) h.writeUInt16LE(code, 0), h.writeUInt16LE(value.length, 2);
    else h.writeUInt16BE(code, 0), h.writeUInt16BE(value.length, 2);
    const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
    opts.push(h, value, pad);
  };
  const n = 1 + int(r, 3);
  for (let k = 0; k < n; k++) {
    const c = int(r, 6);
    if (c <= 2) opt(9, Buffer.from([pick(r, [0, 1, 6, 9, 19, 30, 63, 64, 127, 0x80, 0x80 | 1, 0x80 | 30, 0x80 | 63, 0xff, int(r, 256)])]));
    else if (c <= 4) {
      const v = Buffer.alloc(8);
      const hi = pick(r, [0, 0x7fffffff, 0x80000000, 0xffffffff, 0x00100000, int(r, 0x100000000)]);
      const lo = int(r, 0x100000000);
      if (le) v.writeUInt32LE(lo, 0), v.writeUInt32LE(hi, 4);
      else v.writeUInt32BE(hi, 0), v.writeUInt32BE(lo, 4);
      opt(14, r() < 0.2 ? v.subarray(0, int(r, 8)) : v);
    } else opt(int(r, 20), Buffer.alloc(int(r, 12), int(r, 256)));
  }
  if (r() < 0.8) opt(0, Buffer.alloc(0));
  const fixed = b.subarray(idb.start + 8, idb.start + 16); // linktype, reserved, snaplen
  const total = 8 + fixed.length + opts.reduce((s, x) => s + x.length, 0) + 4;
  const head = Buffer.alloc(8);
  writeU32(head, 0, 1, le);
  writeU32(head, 4, total, le);
  const tail = Buffer.alloc(4);
  writeU32(tail, 0, total, le);
  return Buffer.concat([b.subarray(0, idb.start), head, fixed, ...opts, tail, b.subarray(idb.end)]);
}

/** AJP packet lengths and string lengths set to 0 / 0xFFFF / odd, after a `12 34` or `AB` magic. */
function ajpFields(r: Rng, b: Buffer): Buffer {
  const hits: number[] = [];
  for (let i = 0; i + 4 < b.length && hits.length < 4096; i++) {
    if ((b[i] === 0x12 && b[i + 1] === 0x34) || (b[i] === 0x41 && b[i + 1] === 0x42)) hits.push(i);
  }
  if (hits.length === 0) return overwrite(r, b);
  const out = Buffer.from(b);
  const n = 1 + int(r, 3);
  for (let k = 0; k < n; k++) {
    const at = pick(r, hits);
    // the packet length, or a string length a little further in (method byte, protocol string…)
    const off = r() < 0.5 ? at + 2 : at + 5 + int(r, 40);
    if (off + 2 <= out.length) out.writeUInt16BE(pick(r, HOSTILE_U16), off);
  }
  return out;
}

const CAPTURE_MUTATORS: ((r: Rng, b: Buffer) => Buffer)[] = [
  bitFlips,
  overwrite,
  truncate,
  deleteRange,
  duplicateRange,
  insertRandom,
  recordLengths,
  recordLengths,
  recordTimes,
  recordOrder,
  recordOrder,
  pcapngIdbOptions,
  ajpFields,
  ajpFields,
];

/** One mutated capture: one to four mutations, one time in ten inside gzip (whole or cut). */
export function mutateCapture(r: Rng, seed: Buffer): Buffer {
  let b = seed;
  const n = 1 + int(r, 4);
  for (let i = 0; i < n; i++) b = pick(r, CAPTURE_MUTATORS)(r, b);
  if (r() < 0.1) {
    b = gzipSync(b, { level: 1 });
    if (r() < 0.3) b = r() < 0.5 ? truncate(r, b) : bitFlips(r, b);
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Logs

const lines = (t: string): string[] => t.split('\n');

const LOG_MUTATORS: ((r: Rng, t: string) => string)[] = [
  // CR-only line ends (old Mac, some pastes), CRLF
  (_r, t) => t.replace(/\r?\n/g, '\r'),
  (_r, t) => t.replace(/\r?\n/g, '\r\n'),
  // a wrap at a random column of every long line (a terminal or mail client)
  (r, t) => {
    const w = 40 + int(r, 100);
    return lines(t)
      .map((l) => (l.length > w ? l.slice(0, w) + '\n' + (r() < 0.5 ? '    ' : '') + l.slice(w) : l))
      .join('\n');
  },
  // lines spliced (newlines lost)
  (r, t) => {
    const ls = lines(t);
    for (let k = 0; k < 1 + int(r, 5) && ls.length > 1; k++) {
      const i = int(r, ls.length - 1);
      ls.splice(i, 2, ls[i]! + (r() < 0.5 ? ' ' : '') + ls[i + 1]!);
    }
    return ls.join('\n');
  },
  // a run of one line many times
  (r, t) => {
    const ls = lines(t);
    const i = int(r, ls.length);
    // (the count drawn as before, so every other case stays the same; bounded so that mutations
    // compounding — a line repeated into itself, then run 2,000 times — cannot build a text past
    // what a string can hold: case log:26757 grew past 512 MB and killed the worker)
    const times = Math.min(10 + int(r, 2000), Math.max(1, Math.floor(GROWTH / ((ls[i]?.length ?? 0) + 1))));
    ls.splice(i, 0, ...Array.from({ length: times }, () => ls[i]!));
    return ls.join('\n');
  },
  // NUL bytes, control characters, escape sequences
  (r, t) => {
    const at = int(r, t.length + 1);
    return t.slice(0, at) + pick(r, ['\0', '\0\0\0\0', '\x1b]0;pwned\x07', '\x1b[2J', '\x07', '\x08\x08', '\u202e', '\uFFFD']) + t.slice(at);
  },
  // a fraction of a second with 400 digits, a year of 9 digits, an hour of 99
  (r, t) =>
    t.replace(/(\d\d:\d\d:\d\d)([.,]\d+)?/, (_m, hms: string) =>
      pick(r, [`${hms}.${'9'.repeat(400)}`, `${hms},${'1'.repeat(400)}`, '99:99:99', `${hms}.${'0'.repeat(30)}`]),
    ),
  (r, t) => t.replace(/\b(19|20)\d\d\b/, pick(r, ['999999999', '0000', '275760', '-271821'])),
  // characters flipped, deleted, inserted
  (r, t) => {
    const cs = [...t];
    for (let k = 0; k < 1 + int(r, 20) && cs.length > 0; k++) {
      const i = int(r, cs.length);
      const c = int(r, 3);
      if (c === 0) cs.splice(i, 1);
      else if (c === 1) cs[i] = String.fromCharCode(int(r, 0x80));
      else cs.splice(i, 0, pick(r, ['[', ']', '(', ')', ':', ' ', '"', "'", '\\', '=', '.', '\t']));
    }
    return cs.join('');
  },
  // a long line: one line repeated into itself
  (r, t) => {
    const ls = lines(t);
    const i = int(r, ls.length);
    const line = ls[i] ?? '';
    ls[i] = line.repeat(Math.min(2 + int(r, 200), Math.max(1, Math.floor(GROWTH / (line.length + 1)))));
    return ls.join('\n');
  },
  // paste frames: Markdown quote, fences, docker prefix, line numbers
  (r, t) => {
    const p = pick(r, ['> ', '    ', 'web_1  | ', '2024-01-01T00:00:00.123456789Z ', '| ', '**']);
    return (r() < 0.5 ? '```\n' : '') + lines(t).map((l, i) => (r() < 0.3 ? `${i + 1}: ` : '') + p + l).join('\n');
  },
  // a secret-bearing line of mod_jk's property dump, header dump, httpd config, mid-text
  (r, t) => {
    const ls = lines(t);
    ls.splice(int(r, ls.length + 1), 0, pick(r, SECRET_LINES));
    return ls.join('\n');
  },
];

/**
 * Lines carrying the fuzz's known secret values in the forms the issue lists (jk_map's property
 * dump, mod_jk's header dump, config lines, Authorization): no output may show these values.
 */
export const FUZZ_SECRETS = ['fz-Secret-4711-zeta', 'FZSESSION0123456789ABCDEF', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ'] as const;
const SECRET_LINES = [
  `[Sat Nov 21 10:52:24.905 2026] [23695:140195645757312] [debug] jk_map_read_property::jk_map.c (500): Adding property 'worker.w1.secret' with value '${FUZZ_SECRETS[0]}' to map.`,
  `[Sat Nov 21 10:52:24.905 2026] [23695:140195645757312] [debug] jk_map_dump::jk_map.c (573): Dump of map: 'worker.w1.secret' -> '${FUZZ_SECRETS[0]}'`,
  `[Sat Nov 21 10:52:24.906 2026] [23695:140195645757312] [debug] jk_ajp_common.c (1234): (w1) secret: ${FUZZ_SECRETS[0]}`,
  `[Sat Nov 21 10:52:24.907 2026] [23695:140195645757312] [debug] ajp_marshal_into_msgb::jk_ajp_common.c (605): Header[1] [Cookie] = [JSESSIONID=${FUZZ_SECRETS[1]}]`,
  `[Sat Nov 21 10:52:24.907 2026] [23695:140195645757312] [debug] jk_ajp_common.c (605): Header[2] [Authorization] = [Basic ${FUZZ_SECRETS[2]}]`,
  `worker.w1.secret=${FUZZ_SECRETS[0]}`,
  `ProxyPass /app ajp://127.0.0.1:8009/app secret=${FUZZ_SECRETS[0]}`,
  `<Connector port="8009" protocol="AJP/1.3" requiredSecret="${FUZZ_SECRETS[0]}" />`,
  `[Sat Nov 21 10:52:25 2026] [error] [client 10.0.0.1] File does not exist: /srv/app;jsessionid=${FUZZ_SECRETS[1]}`,
  `10.0.0.1 - - [21/Nov/2026:10:52:25 +0000] "GET /app/x?jsessionid%3D${FUZZ_SECRETS[1]} HTTP/1.1" 404 12`,
  `Authorization: Basic "${FUZZ_SECRETS[2]}"`,
];

/** Encodes a mutated log: as UTF-8, one time in eight as UTF-16 (LE/BE, with or without BOM), sometimes with invalid UTF-8 bytes or in gzip. */
export function encodeLog(r: Rng, t: string): Buffer {
  const c = r();
  let b: Buffer;
  if (c < 0.06) b = Buffer.from(t, 'utf16le');
  else if (c < 0.09) b = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
  else if (c < 0.12) b = Buffer.from(t, 'utf16le').swap16();
  else b = Buffer.from(t, 'utf8');
  if (r() < 0.05 && b.length > 0) {
    const at = int(r, b.length);
    b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, [[0xc3], [0xff, 0xfe, 0xfd], [0xe2, 0x82], [0xed, 0xa0, 0x80]])), b.subarray(at)]);
  }
  if (r() < 0.05) b = gzipSync(b, { level: 1 });
  return b;
}

/**
 * What one growing mutation may add at most (characters). Large inputs are measured on their own
 * (scripts/adversarial.mjs); here a case stays small enough to run in a shared worker.
 */
const GROWTH = 16 * 1048576;

/** One mutated log text: one to three mutations. */
export function mutateLog(r: Rng, seed: string): string {
  let t = seed;
  const n = 1 + int(r, 3);
  for (let i = 0; i < n; i++) t = pick(r, LOG_MUTATORS)(r, t);
  return t;
}

/** A window of whole lines of a log, about `max` characters (a small seed from a large sample). */
export function logWindow(r: Rng, t: string, max: number): string {
  if (t.length <= max) return t;
  let at = int(r, t.length - max);
  const nl = t.indexOf('\n', at);
  at = nl < 0 ? 0 : nl + 1;
  const end = t.lastIndexOf('\n', at + max);
  return t.slice(at, end > at ? end : at + max);
}

/** A random window of a capture's packets (its SHB / IDBs kept): a small seed from any part of a large sample. */
export function recordWindow(r: Rng, b: Buffer, max: number): Buffer {
  const l = layout(b);
  if (l.kind === 'other' || b.length <= max) return b;
  const head: Buffer[] = [b.subarray(0, l.headerEnd)];
  const body: Record_[] = [];
  for (const rec of l.records) {
    if (l.kind === 'pcapng' && rec.type !== 6 && rec.type !== 3) head.push(b.subarray(rec.start, rec.end));
    else body.push(rec);
  }
  if (body.length === 0) return firstRecords(b, max);
  let i = int(r, body.length);
  const parts: Buffer[] = [];
  let size = 0;
  while (i < body.length && size < max) {
    const rec = body[i++]!;
    parts.push(b.subarray(rec.start, rec.end));
    size += rec.end - rec.start;
  }
  return Buffer.concat([...head, ...parts]);
}

/**
 * Text fields of HTTP / MCMP inside the packets overwritten in place (same length, so the IP and
 * TCP lengths still hold): `Load=` values, Content-Length, chunk sizes, parameter names.
 */
export function mcmpFields(r: Rng, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const tokens = ['Load=', 'Content-Length: ', '\r\n\r\n', 'JVMRoute=', 'Context=', '&', '=', 'HTTP/1.'];
  const n = 1 + int(r, 4);
  for (let k = 0; k < n; k++) {
    const tok = Buffer.from(pick(r, tokens), 'latin1');
    let at = out.indexOf(tok, int(r, out.length));
    if (at < 0) at = out.indexOf(tok);
    if (at < 0) continue;
    const v = Buffer.from(pick(r, ['', '1e400', '-1', 'NaN', 'Infinity', '99999999999999999999', 'ffffffff', '0x10', '%zz', '%', '&&&&', '====', ' ', '\r\n', '\n', '\0']), 'latin1');
    const pos = at + tok.length;
    const len = 1 + int(r, 8);
    for (let i = 0; i < len && pos + i < out.length; i++) out[pos + i] = i < v.length ? v[i]! : 0x20;
  }
  return out;
}
