/** Dialect edge cases beyond the per-parser samples. */
import { describe, expect, it } from 'vitest';
import { LogLineReader, lineContext, parseLogText, type LogEvent } from '../../src/logs/index.js';

const parse = (t: string) => parseLogText(t, { path: 't', tz: 'UTC' });

// real-log-excerpts.md E18 (mod_jk 1.2.28) lines
const E18_INIT = '[Tue Mar 27 20:00:24 2012] [8975:36509504] [info] init_jk::mod_jk.c (3183): mod_jk/1.2.28 initialized';
const E18_LB = '[Tue Mar 27 19:56:36 2012] [8923:3458201408] [error] service::jk_lb_worker.c (1469): All tomcat instances failed, no more workers left';

describe('mod_jk / ISAPI', () => {
  it('a jk line written into httpd error_log (jk_log_to_file fallback) is read as the jk line', () => {
    const line = `[Tue Mar 27 19:56:36.000001 2012] [jk:error] [pid 8923:tid 3458201408] ${E18_LB}`;
    const { events } = parse(line);
    expect(events[0]).toMatchObject({ dialect: 'modjk', level: 'error', pid: 8923, text: line });
    expect(events[0].source).toEqual({ file: 'jk_lb_worker.c', line: 1469, fn: 'service' });
    expect(events[0].message).toBe('All tomcat instances failed, no more workers left');
  });

  it('a file with an ISAPI marker has all its jk lines labelled isapi (also the lines before the marker)', () => {
    const isapiLine = '[Thu Mar 09 16:41:25.123 2023] [2188:4452] [error] HttpExtensionProc::jk_isapi_plugin.c (2337): service() failed with http error 503';
    const before = '[Thu Mar 09 16:41:25.100 2023] [2188:4452] [warn] ajp_handle_cping_cpong::jk_ajp_common.c (883): awaited reply cpong, received 6 instead';
    const { events, summary } = parse(`${before}\n${isapiLine}`);
    expect(events.map((e) => e.dialect)).toEqual(['isapi', 'isapi']);
    expect(summary.byDialect).toEqual({ isapi: 2 });
    expect(events[1].fields.status).toBe(503);
    // without the marker the same line is mod_jk
    expect(parse(before).events[0].dialect).toBe('modjk');
  });

  it('stream mode hands events over one by one and keeps none', () => {
    const seen: LogEvent[] = [];
    const r = new LogLineReader('s', lineContext({ tz: 'UTC' }), (ev) => seen.push(ev));
    // The first 16 lines are read ahead (their widths say whether the paste is wrapped), then one
    // line of look-ahead (a wrapped continuation may follow).
    for (let i = 0; i < 15; i++) r.push(i % 2 === 0 ? E18_INIT : E18_LB);
    expect(seen).toHaveLength(0);
    r.push(E18_LB);
    expect(seen).toHaveLength(15);
    r.push(E18_INIT);
    expect(seen).toHaveLength(16);
    expect(r.end()).toEqual([]);
    expect(seen.map((e) => e.line)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(r.summary.byDialect).toEqual({ modjk: 17 });
  });

  it('jk events serialise with their lazily computed fields and source', () => {
    const ev = parse(E18_INIT).events[0];
    const json = JSON.parse(JSON.stringify(ev));
    expect(json).toMatchObject({ dialect: 'modjk', line: 1, version: 'mod_jk/1.2.28', source: { file: 'mod_jk.c', line: 3183, fn: 'init_jk' }, fields: {} });
  });

  it('two blanks after [warn] (≤1.2.23) and request ids of 1.2.49+', () => {
    const old = parse('[Thu Feb 17 10:01:02 2005] [4321:1234] [warn]  ajp_handle_cping_cpong::jk_ajp_common.c (684): awaited reply cpong, received 3 instead').events[0];
    expect(old).toMatchObject({ level: 'warn', message: 'awaited reply cpong, received 3 instead', fields: { ajpType: 3 } });
    for (const id of ['NO-ID', 'WATCHDOG', 'YYcQq38AAQEAAAhZNHAAAAAB']) {
      const ev = parse(`[Tue Mar 04 10:12:33.517 2025] [${id}] [23456:140512345675520] [debug] jk_watchdog::mod_jk.c (3190): Watchdog thread running`).events[0];
      expect(ev.requestId).toBe(id);
      expect(ev.pid).toBe(23456);
    }
  });

  it('1.2.8–1.2.15 at info: no [pid:tid]; 1.2.9–1.2.20 negative err= values', () => {
    const ev = parse('[Thu Feb 17 10:01:02 2005] [info]  jk_open_socket::jk_connect.c (370): connect to 10.0.0.5:8009 failed with errno=-111').events[0];
    expect(ev).toMatchObject({ dialect: 'modjk', pid: undefined, fields: { errno: 111, backend: '10.0.0.5:8009' } });
  });

  it('pool, timeouts and lb fields (catalogue formats of jk_ajp_common.c / jk_lb_worker.c)', () => {
    const pre = '[Tue Mar 04 10:12:33.517 2025] [1:2] [error] ';
    const f = (m: string) => parse(pre + m).events[0].fields;
    expect(f('ajp_get_endpoint::jk_ajp_common.c (3400): Unable to get the free endpoint for worker node1 from 25 slots')).toMatchObject({ worker: 'node1', slots: 25 });
    expect(f('ajp_handle_cping_cpong::jk_ajp_common.c (1004): (node1) timeout in reply cpong after 10000 ms. Socket = 17 (event=1)')).toMatchObject({ timeoutMs: 10000, socket: 17, event: 1, worker: 'node1' });
    expect(f('jk_is_input_event::jk_connect.c (1435): timeout during poll on socket 17 [127.0.0.1:40312 -> 127.0.0.1:8009] (timeout=10000)')).toMatchObject({ socket: 17, timeoutMs: 10000, backend: '127.0.0.1:8009' });
    expect(f('ajp_connection_tcp_get_message::jk_ajp_common.c (1410): (node1) can\'t receive the response header message from tomcat, tomcat (127.0.0.1:8009) has forced a connection close for socket 23')).toMatchObject({ backend: '127.0.0.1:8009', socket: 23 });
    expect(f('service::jk_lb_worker.c (1400): could not get free endpoint for worker node2 (3 retries)')).toMatchObject({ worker: 'node2', retries: 3 });
    expect(f('ajp_get_endpoint::jk_ajp_common.c (3350): (node1) acquired connection pool slot=4 after 0 retries')).toMatchObject({ slot: 4 });
    expect(f('service::jk_lb_worker.c (1550): unrecoverable error 500, request failed. Tomcat failed in the middle of request, we can\'t recover to another instance.')).toMatchObject({ status: 500 });
    expect(f('iis_read::jk_isapi_plugin.c (1185): ReadClient failed with 64 (0x00000040)')).toMatchObject({ errno: 64 });
    expect(f('start_response::jk_isapi_plugin.c (1096): HSE_REQ_SEND_RESPONSE_HEADER_EX failed with error=10054 (0x00002746)')).toMatchObject({ errno: 10054 });
    expect(f('ajp_service::jk_ajp_common.c (2800): (node1) sending request to tomcat failed (recoverable), busy limit 20 reached (rc=-3, errors=1, client_errors=0).')).toMatchObject({ busyLimit: 20, worker: 'node1' });
  });
});

describe('httpd', () => {
  it('Windows status text `(OS 10054)…  : ` gives errno and the APR code', () => {
    const ev = parse('[Tue Mar 28 03:56:00.804140 2017] [proxy_ajp:error] [pid 1234:tid 5678] (OS 10054)An existing connection was forcibly closed by the remote host.  : AH01030: ajp_ilink_receive() can\'t receive header').events[0];
    expect(ev.fields).toMatchObject({ errno: 10054, apr: 730054, ah: 'AH01030', aprText: 'An existing connection was forcibly closed by the remote host.' });
    expect(ev.message).toBe("ajp_ilink_receive() can't receive header");
  });

  it('httpd 2.2 with [client ip] before the status', () => {
    const ev = parse('[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] (70007)The timeout specified has expired: proxy: error reading status line from remote server 10.0.0.5:8009').events[0];
    expect(ev).toMatchObject({ dialect: 'httpd', fields: { client: '127.0.0.1', apr: 70007 } });
    expect(ev.message).toBe('proxy: error reading status line from remote server 10.0.0.5:8009');
  });

  it('`[:error]` (module built without APLOG_USE_MODULE) is an httpd 2.4 line with an empty module', () => {
    const ev = parse('[Tue Mar 28 03:56:00.804140 2017] [:error] [pid 1234] [client 10.0.0.1:5555] script not found').events[0];
    expect(ev).toMatchObject({ dialect: 'httpd', level: 'error', module: '', pid: 1234, requestId: undefined, fields: { client: '10.0.0.1:5555' } });
    const cut = parse('[:error] [pid 1234] [client 10.0.0.1:5555] script not found').events[0]; // stamp cut by the poster
    expect(cut).toMatchObject({ dialect: 'httpd', level: 'error', module: '', ts: undefined });
  });

  it('trace levels and a custom ISO stamp (ErrorLogFormat)', () => {
    const ev = parse('[2026-11-21 10:00:00.123456] [proxy_ajp:trace5] [pid 1:tid 2] ajp_header.c(241): ajp_marshal_into_msgb: Header[0] [Host] = [x]').events[0];
    expect(ev).toMatchObject({ dialect: 'httpd', level: 'trace', module: 'proxy_ajp', source: { file: 'ajp_header.c', line: 241 } });
  });
});
