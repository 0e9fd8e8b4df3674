import { describe, expect, it } from 'vitest';
import { parseLogText, zoneClock } from '../../src/logs/index.js';

const E08 = '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)';
const E12 = '[Tue Jul 27 11:15:51 2010] [4804:1680] [error] jk_ajp_common.c (969): wrong message format 0x4854 from 127.0.0.1:8090';
const ts = (line: string, tz?: string, now?: number) => parseLogText(line, { path: 't', tz, now }).events[0]?.ts;
const iso = (line: string, tz?: string, now?: number) => new Date(ts(line, tz, now) as number).toISOString();

describe('--log-tz', () => {
  it('IANA zones, winter and summer time (Europe/Berlin: +01:00 / +02:00)', () => {
    expect(iso(E08, 'Europe/Berlin')).toBe('2008-01-11T13:14:28.000Z');
    expect(iso(E12, 'Europe/Berlin')).toBe('2010-07-27T09:15:51.000Z');
    expect(iso(E12, 'America/New_York')).toBe('2010-07-27T15:15:51.000Z');
    expect(iso(E08, 'UTC')).toBe('2008-01-11T14:14:28.000Z');
  });

  it('fixed offsets ±hh:mm, ±hhmm, ±h', () => {
    expect(iso(E08, '+05:30')).toBe('2008-01-11T08:44:28.000Z');
    expect(iso(E08, '-0800')).toBe('2008-01-11T22:14:28.000Z');
    expect(iso(E08, '+2')).toBe('2008-01-11T12:14:28.000Z');
    expect(iso(E08, 'Z')).toBe('2008-01-11T14:14:28.000Z');
  });

  it('default is the machine zone (same reading as the JS Date local constructor)', () => {
    expect(ts(E08)).toBe(new Date(2008, 0, 11, 14, 14, 28).getTime());
  });

  it('DST change: wall times either side of the switch (Europe/Berlin, 2025-03-30 and 2025-10-26)', () => {
    const c = zoneClock('Europe/Berlin');
    expect(new Date(c.toUtc(2025, 2, 30, 1, 59, 59, 0)).toISOString()).toBe('2025-03-30T00:59:59.000Z');
    expect(new Date(c.toUtc(2025, 2, 30, 3, 0, 0, 0)).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(new Date(c.toUtc(2025, 9, 26, 4, 0, 0, 0)).toISOString()).toBe('2025-10-26T03:00:00.000Z');
    expect(new Date(c.toUtc(2025, 9, 25, 23, 0, 0, 0)).toISOString()).toBe('2025-10-25T21:00:00.000Z');
  });

  it('a zone Intl does not know is the user’s error (RangeError), not a log problem', () => {
    expect(() => zoneClock('Mars/Olympus')).toThrow(RangeError);
    expect(() => zoneClock('+25:00')).toThrow(RangeError);
  });

  it('microsecond and millisecond fractions', () => {
    const us = '[Tue Dec 17 18:06:19.375949 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] AH00992: ajp_read_header: ajp_ilink_receive failed';
    expect(ts(us, 'UTC')).toBeCloseTo(Date.UTC(2019, 11, 17, 18, 6, 19) + 375.949, 6);
    const ms = '[Tue May 13 17:52:11.608 2008] [8736:3059768208] [info] ajp_send_request::jk_ajp_common.c (1265): (tomcat1) all endpoints are disconnected';
    expect(ts(ms, 'UTC')).toBe(Date.UTC(2008, 4, 13, 17, 52, 11, 608));
  });
});

describe('custom JkLogStampFormat stamps (strftime, jk_util.c set_time_str: %Q ms, %q µs)', () => {
  const tail = '[1234:5678] [info] ajp_service::jk_ajp_common.c (2774): (node1) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)';
  const cases: [string, string][] = [
    ['[2023-03-09 16:41:25.123] ', '2023-03-09T16:41:25.123Z'],
    ['[2023-03-09T16:41:25.123456] ', '2023-03-09T16:41:25.123Z'],
    ['[2023-03-09 16:41:25,123] ', '2023-03-09T16:41:25.123Z'],
    ['2023-03-09 16:41:25.123 ', '2023-03-09T16:41:25.123Z'],
    ['[09/Mar/2023:16:41:25 +0100] ', '2023-03-09T15:41:25.000Z'],
    ['[Thu, Mar 09 2023 16:41:25] ', '2023-03-09T16:41:25.000Z'],
    ['[Mar  9 16:41:25 2023] ', '2023-03-09T16:41:25.000Z'],
    ['[Thu Mar  9 16:41:25 2023] ', '2023-03-09T16:41:25.000Z'],
  ];
  for (const [stamp, want] of cases) {
    it(JSON.stringify(stamp), () => {
      const { events, summary } = parseLogText(stamp + tail, { path: 't', tz: 'UTC' });
      expect(summary.unrecognised).toBe(0);
      expect(events[0].dialect).toBe('modjk');
      expect(new Date(events[0].ts as number).toISOString()).toBe(want);
      expect(events[0].worker).toBe('node1');
    });
  }

  it('a stamp without a year takes the year that puts it just before "now"', () => {
    const line = `[Mar 09 16:41:25] ${tail}`;
    expect(iso(line, 'UTC', Date.UTC(2023, 5, 1))).toBe('2023-03-09T16:41:25.000Z');
    const dec = `[Dec 30 23:59:59] ${tail}`;
    expect(iso(dec, 'UTC', Date.UTC(2024, 0, 2))).toBe('2023-12-30T23:59:59.000Z');
  });
});
