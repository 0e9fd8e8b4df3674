/**
 * mod_jk lines under a custom `JkLogStampFormat` without brackets (mod_jk docs, apache.html:
 * "JkLogStampFormat … uses strftime syntax", with `%Q` for milliseconds since 1.2.24):
 * `2023-03-09 16:41:25.123 [pid:tid] [level] func::file.c (line): msg`. parseLine reads the tokens
 * after the stamp first and the stamp only where it decides (line.ts): these lines must read as they
 * did, and lines of other programs that look alike (nginx's error log) must stay unread.
 */
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/logs/line.js';
import { zoneClock } from '../../src/logs/time.js';

const ctx = { clock: zoneClock('UTC'), now: Date.UTC(2026, 10, 21) };

describe('a jk line behind a custom stamp without brackets', () => {
  it('is read with its stamp, pid, thread, level and source', () => {
    const ev = parseLine('2023-03-09 16:41:25.123 [12548:38576] [info] jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)', ctx);
    expect(ev?.dialect).toBe('modjk');
    expect(ev?.ts === undefined ? undefined : new Date(ev.ts).toISOString()).toBe('2023-03-09T16:41:25.123Z');
    expect(ev?.level).toBe('info');
    expect(ev?.pid).toBe(12548);
    expect(ev?.tid).toBe('38576');
    expect(ev?.source?.file).toBe('jk_connect.c');
    expect(ev?.message).toBe('connect to 127.0.0.1:8009 failed (errno=111)');
  });

  it('a 1.2.0–1.2.6 line (`[file.c (line)]: msg`) too', () => {
    const ev = parseLine('2023-03-09 16:41:25 [jk_connect.c (451)]: connect to 127.0.0.1:8009 failed', ctx);
    expect(ev?.dialect).toBe('modjk');
    expect(ev?.ts === undefined ? undefined : new Date(ev.ts).toISOString()).toBe('2023-03-09T16:41:25.000Z');
    expect(ev?.source?.line).toBe(451);
  });

  it('is no line when what stands before the head is no stamp', () => {
    expect(parseLine('2023-03-09 16:41 [12548:38576] [info] jk_open_socket::jk_connect.c (451): connect to x failed', ctx)).toBeNull();
    expect(parseLine('not a stamp at all [12548:38576] [info] jk_open_socket::jk_connect.c (451): x', ctx)).toBeNull();
  });

  it("nginx's error log (a stamp and a level word, no jk source) is no line either", () => {
    // nginx error_log layout (ngx_log_error_core: `%Y/%m/%d %H:%M:%S [level] pid#tid: *cid msg`)
    expect(parseLine('2026/11/21 08:00:00 [warn] 1234#1234: *7 upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/7/00, client: 10.1.2.3, server: www.example.org', ctx)).toBeNull();
    expect(parseLine('2026/11/21 08:00:00 [error] 1234#1234: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: x, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/"', ctx)).toBeNull();
  });
});
