/**
 * Property tests (fast-check, seeded) over the readers and decoders one by one: whatever the bytes
 * or text, each returns a value and never throws, and what it returns holds no `NaN` / `Infinity`
 * where a number is promised. The whole-command fuzz loop is fuzz.test.ts; these go where a
 * mutation of a real input rarely reaches (any byte, any length field, any split into chunks).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, PacketReader, type RawPacket } from '../../src/ajp/index.js';
import { HttpReader, parseBody, decodePercent, parseRequestLine } from '../../src/mcmp/index.js';
import { cleanLine, parseLine, lineContext, parseLogText, stripLineNumber } from '../../src/logs/index.js';
import { unwrapLine, unstarIdentifiers } from '../../src/logs/unwrap.js';
import { decodeTcp, newNetCounters } from '../../src/net/index.js';
import { formatTime, isoTime } from '../../src/util/clock.js';

const SEED = 20261205;
const RUNS = process.env.FUZZ_LONG === '1' ? 20_000 : 300;
const params = { seed: SEED, numRuns: RUNS };

/** Bytes biased towards what the decoders look for: AJP magics, prefix codes, 0xFFFF lengths, CRLF. */
const bytes = (max: number): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x12, 0x34, 0x41, 0x42, 0x02, 0x04, 0x0a, 0x0c, 0xff, 0x00, 0x0d)), { maxLength: max }).map((a) => Uint8Array.from(a));

const noBadNumber = (v: unknown): unknown =>
  JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`non-finite number ${x}`);
    if (typeof x === 'bigint') return String(x);
    if (Buffer.isBuffer(x) || x instanceof Uint8Array) return '<bytes>';
    return x;
  });

describe('properties: AJP', () => {
  it('decodePacket: any payload, any length field, either side, never throws', () => {
    fc.assert(
      fc.property(bytes(300), fc.integer({ min: 0, max: 0xffff }), fc.boolean(), fc.boolean(), fc.boolean(), (p, length, container, asBody, truncated) => {
        const raw: RawPacket = { magic: container ? 0x4142 : 0x1234, length, payload: Buffer.from(p), frames: [1], ts: 1, offset: 0, truncated };
        const m = decodePacket(raw, container ? 'container' : 'web-server', asBody);
        expect(typeof m.type).toBe('string');
        noBadNumber(m);
      }),
      params,
    );
  });

  it('PacketReader: any bytes in any chunks, in sync or not, never throws and accounts for every byte', () => {
    fc.assert(
      fc.property(fc.array(bytes(200), { maxLength: 12 }), fc.boolean(), fc.boolean(), (chunks, container, inSync) => {
        let seen = 0;
        const reader = new PacketReader(container ? 'container' : 'web-server', {
          packet: (p) => void (seen += 4 + p.payload.length),
          skipped: (s) => void (seen += s.reason === 'gap' ? 0 : s.bytes),
        }, inSync);
        let offset = 0;
        for (const c of chunks) {
          reader.push({ data: Buffer.from(c), frames: [1], ts: 1, offset });
          offset += c.length;
        }
        reader.end();
        expect(Number.isFinite(seen)).toBe(true);
      }),
      params,
    );
  });
});

describe('properties: MCMP / HTTP', () => {
  it('HttpReader: any bytes, requests and responses, resync or not, never throws', () => {
    fc.assert(
      fc.property(fc.array(bytes(300), { maxLength: 8 }), fc.boolean(), fc.boolean(), (chunks, request, resync) => {
        const msgs: unknown[] = [];
        const r = new HttpReader({ kind: request ? 'request' : 'response', keepBody: () => true, resync, maxHead: 4096 }, (m) => msgs.push(m));
        let offset = 0;
        for (const c of chunks) {
          r.push(Buffer.from(c), [1], 1, offset);
          offset += c.length;
        }
        for (const m of msgs) noBadNumber(m);
      }),
      params,
    );
  });

  it('HttpReader: HTTP-shaped text (chunk sizes, Content-Length, Load) never throws', () => {
    const line = fc.oneof(
      fc.constantFrom('POST /ctx HTTP/1.1', 'STATUS / HTTP/1.1', 'HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'Content-Length: 1e400', 'Content-Length: -1', 'Content-Length: 99999999999999999999', 'Infinity', 'ffffffffffff', '0', ''),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, request) => {
        const r = new HttpReader({ kind: request ? 'request' : 'response', keepBody: () => true }, () => {});
        const b = Buffer.from(lines.join('\r\n'), 'latin1');
        r.push(b, [1], 1, 0);
      }),
      params,
    );
  });

  it('parseBody / decodePercent / parseRequestLine: any text, never throws, no NaN', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        noBadNumber(parseBody(s));
        noBadNumber(decodePercent(s, true));
        parseRequestLine(s);
      }),
      params,
    );
  });
});

describe('properties: logs', () => {
  const ctx = lineContext({ tz: 'UTC', now: Date.UTC(2026, 10, 21) });
  const logLine = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ maxLength: 60 }).map((s) => `[Sat Nov 21 10:52:24.${'9'.repeat(400)} 2026] [1:2] [debug] x.c (1): ${s}`),
    fc.string({ maxLength: 60 }).map((s) => `[Sat Nov 21 10:52:24 999999999] [error] ${s}`),
    fc.string({ maxLength: 60 }).map((s) => `21-Nov-2026 10:52:24.1 SEVERE [main] ${s}`),
  );

  it('cleanLine / unwrapLine / stripLineNumber / unstarIdentifiers / parseLine: any line, never throws', () => {
    fc.assert(
      fc.property(logLine, (l) => {
        const c = cleanLine(l);
        unwrapLine(c.trim());
        stripLineNumber(c);
        unstarIdentifiers(c);
        const e = parseLine(c, ctx);
        if (e !== null && e.ts !== undefined) expect(Number.isFinite(e.ts)).toBe(true);
      }),
      params,
    );
  });

  it('parseLogText: any text, never throws; times are finite', () => {
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const { events, summary } = parseLogText(lines.join(eol), { path: 'x', tz: 'Europe/Berlin', now: Date.UTC(2026, 10, 21) });
        for (const e of events) if (e.ts !== undefined) expect(Number.isFinite(e.ts)).toBe(true);
        if (summary.firstTs !== undefined) expect(Number.isFinite(summary.firstTs)).toBe(true);
      }),
      params,
    );
  });
});

describe('properties: net and clock', () => {
  it('decodeTcp: any frame on any link type never throws', () => {
    fc.assert(
      fc.property(bytes(120), fc.constantFrom(0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 999), (d, linkType) => {
        const counters = newNetCounters();
        decodeTcp({ frame: 1, ts: 0, linkType, data: Buffer.from(d), origLen: d.length }, counters);
      }),
      params,
    );
  });

  it('formatTime / isoTime: any number gives a string with no NaN / Infinity / Invalid', () => {
    fc.assert(
      fc.property(fc.double(), fc.constantFrom('r', 'a', 'ad', 'u', 'ud', 'e') as fc.Arbitrary<'r' | 'a' | 'ad' | 'u' | 'ud' | 'e'>, (ts, fmt) => {
        const s = fmt === 'r' ? formatTime(ts, fmt, 0) : formatTime(ts, fmt, 0);
        if (Number.isFinite(ts)) expect(s).not.toMatch(/NaN|Invalid/);
        expect(isoTime(ts * 1000)).not.toMatch(/NaN|Invalid/);
      }),
      params,
    );
  });
});
