/**
 * httpd `error_log` lines, 2.2 and 2.4 default layouts (server/log.c: `log_error_core()` in 2.2,
 * `do_errorlog_default()` in 2.4). After the bracketed head come, in this order in 2.4 and with
 * client and status swapped in 2.2:
 *   `file.c(line): ` (debug/trace only) · `(status)text: ` (non-zero apr_status_t) ·
 *   `[client ip:port] ` (request-scoped calls) · `AHnnnnn: ` · message · `, referer: …`
 */
import type { LogEvent } from '../types.js';
import { aprFields, httpdFields, httpdVersion } from '../fields.js';
import { newEvent, type DialectParser, type DialectSample, type LineContext } from './common.js';
import { scanHead, type Head } from './head.js';
import { finishJk } from './modjk.js';

const FILE_LINE = /([\w.-]+\.c)\((\d+)\): /y;
const STATUS = /\((OS )?(-?\d+)\)([^:]*): /y;
const CLIENT = /\[(client|remote) ([^\]]+)\] /y;
const AH = /AH(\d{5}): /y;

export function finishHttpd(text: string, head: Head): LogEvent {
  const ev = newEvent('httpd', text, '');
  ev.ts = head.ts;
  ev.level = head.level;
  ev.pid = head.pid;
  ev.tid = head.tid;
  ev.module = head.module;
  const f = ev.fields;
  let pos = head.pos;
  while (text.charCodeAt(pos) === 32) pos++;
  let m: RegExpExecArray | null;
  for (let guard = 0; guard < 5; guard++) {
    const c = text.charCodeAt(pos);
    if (c === 40) {
      STATUS.lastIndex = pos;
      if ((m = STATUS.exec(text))) {
        aprFields(Number(m[2]), m[1] !== undefined, m[3].trim(), f);
        pos = STATUS.lastIndex;
        continue;
      }
    } else if (c === 91) {
      CLIENT.lastIndex = pos;
      if ((m = CLIENT.exec(text))) {
        f[m[1]] = m[2];
        pos = CLIENT.lastIndex;
        continue;
      }
    } else if (c === 65 && text.charCodeAt(pos + 1) === 72) {
      AH.lastIndex = pos;
      if ((m = AH.exec(text))) {
        f.ah = `AH${m[1]}`;
        pos = AH.lastIndex;
        continue;
      }
    } else if (ev.source === undefined && (head.level === 'debug' || head.level === 'trace')) {
      FILE_LINE.lastIndex = pos;
      if ((m = FILE_LINE.exec(text))) {
        ev.source = { file: m[1], line: Number(m[2]), fn: undefined };
        pos = FILE_LINE.lastIndex;
        continue;
      }
    }
    break;
  }
  let msg = text.slice(pos).trimEnd();
  const r = msg.lastIndexOf(', referer: ');
  if (r >= 0) {
    f.referer = msg.slice(r + 11);
    msg = msg.slice(0, r);
  }
  ev.message = msg;
  httpdFields(msg, f);
  ev.version = httpdVersion(msg);
  return ev;
}

const samples: DialectSample[] = [
  {
    source: 'real-log-excerpts.md E14 (httpd 2.4, event MPM, µs stamp)',
    line: '[Tue Dec 17 18:06:19.375949 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] (104)Connection reset by peer: AH01030: ajp_ilink_receive() can\'t receive header',
    expect: {
      dialect: 'httpd', ts: '2019-12-17T18:06:19.375Z', level: 'error', module: 'proxy_ajp', pid: 4337, tid: '140133135910656',
      message: "ajp_ilink_receive() can't receive header", fields: { apr: 104, errno: 104, ah: 'AH01030', aprText: 'Connection reset by peer' },
    },
  },
  {
    source: 'real-log-excerpts.md E14',
    line: '[Tue Dec 17 18:06:19.375992 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] (120006)APR does not understand this error code: [client ::1:43648] AH00878: read response failed from [::1]:8009 (localhost)',
    expect: {
      dialect: 'httpd', message: 'read response failed from [::1]:8009 (localhost)',
      fields: { apr: 120006, client: '::1:43648', ah: 'AH00878', backend: '[::1]:8009', host: 'localhost', port: 8009 },
    },
  },
  {
    source: 'real-log-excerpts.md E14 (referer suffix)',
    line: '[Tue Dec 17 18:06:19.454933 2019] [proxy_ajp:error] [pid 4337:tid 140133127517952] [client ::1:43650] AH00992: ajp_read_header: ajp_ilink_receive failed, referer: http://localhost/',
    expect: { dialect: 'httpd', message: 'ajp_read_header: ajp_ilink_receive failed', fields: { referer: 'http://localhost/', ah: 'AH00992' } },
  },
  {
    source: 'real-log-excerpts.md E15 (httpd 2.4 prefork, stamp cut by the poster)',
    line: '[proxy_ajp:error] [pid 30091] (70007)The timeout specified has expired: [client 10.162.210.46:33648] AH00893: dialog to [::1]:8009 (localhost) failed, referer: https://uyuni-master-srv.mgr.suse.de/rhn/admin/setup/MirrorCredentials.do',
    expect: { dialect: 'httpd', ts: null, pid: 30091, fields: { apr: 70007, ah: 'AH00893', backend: '[::1]:8009', host: 'localhost' } },
  },
  {
    source: 'real-log-excerpts.md E15',
    line: '[proxy_ajp:error] [pid 30091] [client 10.162.210.46:33648] AH00877: read zero bytes, expecting 303 bytes, referer: https://uyuni-master-srv.mgr.suse.de/rhn/admin/setup/MirrorCredentials.do',
    expect: { dialect: 'httpd', fields: { expected: 303, ah: 'AH00877' } },
  },
  {
    source: 'real-log-excerpts.md E03 (httpd 2.2, backend (null))',
    line: '[Sun Mar 29 04:05:33 2009] [error] (120006)APR does not understand this error code: proxy: read response failed from (null) (localhost)',
    expect: { dialect: 'httpd', ts: '2009-03-29T04:05:33.000Z', level: 'error', message: 'proxy: read response failed from (null) (localhost)', fields: { apr: 120006, host: 'localhost' } },
  },
  {
    source: 'real-log-excerpts.md E05 (httpd 2.2, stamp cut)',
    line: '[error] (70007)The timeout specified has expired: proxy: read response failed from 10.1.3.3:8009 (10.1.3.3)',
    expect: { dialect: 'httpd', ts: null, fields: { apr: 70007, backend: '10.1.3.3:8009', host: '10.1.3.3', port: 8009 } },
  },
  {
    source: 'real-log-excerpts.md E06 (httpd 2.2, stamp redacted as [Date])',
    line: '[Date] [error] proxy: BALANCER: (balancer://envCluster). All workers are in error state for route (nodeName)',
    expect: { dialect: 'httpd', ts: null, level: 'error', fields: { balancer: 'balancer://envCluster', route: 'nodeName' } },
  },
  {
    source: 'real-log-excerpts.md E25 (httpd 2.2 connect refused)',
    line: '[Tue Feb 26 12:52:15 2013] [error] (111)Connection refused: proxy: AJP: attempt to connect to 127.0.0.1:8009 (localhost) failed',
    expect: { dialect: 'httpd', fields: { apr: 111, errno: 111, backend: '127.0.0.1:8009', host: 'localhost' } },
  },
  {
    source: 'real-log-excerpts.md E25',
    line: '[Tue Feb 26 12:46:47 2013] [error] ap_proxy_connect_backend disabling worker for (localhost)',
    expect: { dialect: 'httpd', fields: { host: 'localhost' } },
  },
  {
    source: 'httpd-ajp-message-history.tsv AH00959 2.4.54+ form `(%s:%d) for %ds`',
    line: '[Sat Nov 21 10:00:00.000001 2026] [proxy:error] [pid 1:tid 2] AH00959: ap_proxy_connect_backend disabling worker for (tomcat1:8009) for 60s',
    expect: { dialect: 'httpd', fields: { host: 'tomcat1', port: 8009, retrySec: 60 } },
  },
  {
    source: 'httpd-ajp-message-history.tsv AH00957 2.4.59+ form `%pI (%s:%hu)`',
    line: '[Sat Nov 21 10:00:00.000001 2026] [proxy:error] [pid 1:tid 2] (111)Connection refused: AH00957: AJP: attempt to connect to 10.0.0.5:8009 (tomcat1:8009) failed',
    expect: { dialect: 'httpd', fields: { apr: 111, backend: '10.0.0.5:8009', host: 'tomcat1', port: 8009 } },
  },
  {
    source: 'samples/mcmp/error_log (httpd 2.4.71 debug line with file(line))',
    line: '[Sat Nov 21 10:15:50.941702 2026] [proxy:debug] [pid 10730:tid 10730] proxy_util.c(2268): AH00925: initializing worker proxy:reverse shared',
    expect: { dialect: 'httpd', level: 'debug', source: { file: 'proxy_util.c', line: 2268 }, fields: { ah: 'AH00925' }, message: 'initializing worker proxy:reverse shared' },
  },
  {
    source: 'samples/baseline/error_log (httpd 2.4.71 proxy_util.c AH00942, `for (%s:%d)` form)',
    line: '[Sat Nov 21 10:46:07.800573 2026] [proxy:debug] [pid 10070:tid 10091] proxy_util.c(2829): AH00942: AJP: has acquired connection for (127.0.0.1:18009)',
    expect: { dialect: 'httpd', pid: 10070, tid: '10091', source: { file: 'proxy_util.c', line: 2829 }, fields: { ah: 'AH00942', host: '127.0.0.1', port: 18009 } },
  },
  {
    source: 'samples/mcmp/error_log',
    line: '[Sat Nov 21 10:15:50.940830 2026] [mpm_event:notice] [pid 10729:tid 10729] AH00489: Apache/2.4.71 (Debian) mod_proxy_cluster/2.0.0.Dev configured -- resuming normal operations',
    expect: { dialect: 'httpd', level: 'notice', version: 'Apache/2.4.71' },
  },
];

export const httpdParser: DialectParser = {
  name: 'httpd',
  parse(text: string, ctx: LineContext): LogEvent | null {
    if (text.charCodeAt(0) !== 91) return null;
    const head = scanHead(text, ctx);
    if (!head) return null;
    if (head.kind === 'httpd24' || head.kind === 'httpd22') return finishHttpd(text, head);
    // `[error]` is a level of both; without a jk `file.c (line): ` it is httpd 2.2.
    if (head.kind === 'jk' && head.level !== undefined && head.requestId === undefined && finishJk(text, head) === null) {
      return finishHttpd(text, head);
    }
    return null;
  },
  samples,
};
