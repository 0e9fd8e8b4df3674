/**
 * parseStampText tries each of its readers only where the characters that reader starts with stand
 * (issue 14: most texts it is asked about are the head of another program's line), and the juli
 * reader asks stampMayStart before its regex. Neither may ever turn down a stamp the readers read:
 * stamps of every shape they know, and texts pieced together from their parts, are checked here.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseStampText, stampMayStart } from '../../src/logs/stamp.js';
import { zoneClock } from '../../src/logs/time.js';

const ctx = { clock: zoneClock('UTC'), now: Date.UTC(2026, 10, 21) };
const iso = (t: string): string | undefined => {
  const v = parseStampText(t, ctx);
  return v === undefined ? undefined : new Date(v).toISOString();
};

describe('the access log stamp (read by positions)', () => {
  it('the Common Log Format example of the httpd documentation', () => {
    // https://httpd.apache.org/docs/2.4/logs.html#common:
    // 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326
    expect(iso('10/Oct/2000:13:55:36 -0700')).toBe('2000-10-10T20:55:36.000Z');
  });

  it('other offsets, a month in any case, and what only the regex reads (a local month, a fraction)', () => {
    expect(iso('21/Nov/2026:08:00:16 +0530')).toBe('2026-11-21T02:30:16.000Z');
    expect(iso('21/NOV/2026:08:00:16 -0000')).toBe('2026-11-21T08:00:16.000Z');
    expect(iso('21/Mai/2026:08:00:16 +0000')).toBe('2026-05-21T08:00:16.000Z');
    expect(iso('21/Nov/2026:08:00:16.250 +0100')).toBe('2026-11-21T07:00:16.250Z');
    expect(iso('21/Xyz/2026:08:00:16 +0000')).toBeUndefined();
  });
});

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const month = fc.constantFrom('Nov', 'nov', 'MAR', 'Mai', 'mars', 'févr.', 'Dez', 'Xyz');
const sep = fc.constantFrom('-', '/', ' ', '.', ':', ',', 'T');
/** The separator a shape has there, mostly; now and then another one. */
const at = (...good: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 9 }, { arbitrary: sep, weight: 1 });
/** Stamps in the shapes of ISO, DMY, EUROPEAN, ASCTIME, JAVA_US and the default stamp, a separator now and then another. */
const shaped = fc.oneof(
  fc.tuple(digits(4), at('-', '/'), digits(2), at('-', '/'), digits(2), at('T', ' '), digits(2), at(':'), digits(2), at(':'), digits(2), fc.constantFrom('', ',123', '.5', ' Z', '+01:00', ' -0530')).map((p) => p.join('')),
  fc.tuple(fc.oneof(digits(1), digits(2)), at('-', '/', ' '), month, at('-', '/', ' '), digits(4), at(':', ' '), digits(2), at(':'), digits(2), at(':'), digits(2), fc.constantFrom('', '.123', ' +0100', ' -0700')).map((p) => p.join('')),
  fc.tuple(digits(2), at('.'), digits(2), at('.'), digits(4), at(' '), digits(2), at(':'), digits(2), at(':'), digits(2), fc.constantFrom('', ',123')).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', 'Tue ', 'Tue, ', '123 '), month, fc.constantFrom(' ', '  '), fc.oneof(digits(1), digits(2)), fc.constantFrom(' ', ', '), fc.constantFrom('', '2026 '), digits(2), at(':'), digits(2), at(':'), digits(2), fc.constantFrom('', '.123456', ' 2026', ' AM', ' PM')).map((p) => p.join('')),
);
/** Texts pieced together from the parts of stamps and of other programs' line heads. */
const pieced = fc
  .array(fc.constantFrom('2026', '21', '1', '-', '/', ' ', '.', ':', ',', 'T', 'Nov', 'Tue', 'mars', '08', '00', '000', 'Z', '+0100', 'PM', '[', 'x', '10.1.2.3'), { minLength: 3, maxLength: 14 })
  .map((p) => p.join(''));

describe('a stamp is never ruled out by its first characters', () => {
  it('stampMayStart says yes for every text that starts with a stamp parseStampText reads', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(shaped, pieced), fc.constantFrom('', ' INFO [main] x', ' - app - WARN - y'), (stamp, tail) => {
        if (parseStampText(stamp, ctx) === undefined) return;
        read++;
        expect(stampMayStart(stamp + tail), stamp).toBe(true);
      }),
      { numRuns: 20000, seed: 14 },
    );
    // (the property held over stamps that were read, not only over texts that were not)
    expect(read).toBeGreaterThan(2000);
  });

  it('says no for the heads of lines no reader takes for a stamp', () => {
    expect(stampMayStart('08:00:00.000 [http-nio-8080-exec-0] INFO  c.e.shop.CartService - cart 0')).toBe(false);
    expect(stampMayStart('10.1.167.167 - - [21/Nov/2026:08:00:16 +0000] "GET /app/page HTTP/1.1" 200')).toBe(false);
    expect(stampMayStart('{"ts":"2026-11-21T08:00:00.000Z"}')).toBe(false);
    expect(stampMayStart('2026-11-21 08:00:00,000 - app.worker - INFO - processed job 0')).toBe(true);
  });
});

describe('the ISO reader is never ruled out by the last character', () => {
  // stamp.ts ISO as written: parseStampText asks it only of a text ending in a digit, `Z` or a blank
  const ISO = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;
  it('every text the regex reads is read, whatever blanks end it', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(shaped, pieced), fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000', '\ufeff', ' Z', 'Z', ' -', ' - app -'), (stamp, tail) => {
        const t = stamp + tail;
        if (t.length > 64 || !ISO.test(t)) return;
        read++;
        expect(parseStampText(t, ctx), JSON.stringify(t)).not.toBeUndefined();
      }),
      { numRuns: 20000, seed: 14 },
    );
    expect(read).toBeGreaterThan(500);
    expect(iso('2026-11-21 08:00:00,000 - app.worker -')).toBeUndefined();
    expect(iso('2026-11-21 08:00:00.123\u3000')).toBe('2026-11-21T08:00:00.123Z');
  });
});
