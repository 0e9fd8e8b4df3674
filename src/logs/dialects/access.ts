/**
 * Access-log lines: `%h %l %u %t "%r" %>s %b …` (httpd mod_log_config common/combined, Tomcat
 * AccessLogValve `common`/`combined` and the `%D`/`%T` variants), also with an ISO `%{…}t` stamp
 * instead of the bracketed one. Fields: client, method, uri, status, bytes, and what follows
 * (referer, user agent, duration) stays in the message.
 */
import type { LogEvent } from '../types.js';
import { parseStampText } from '../stamp.js';
import { blankThen, newEvent, type DialectParser, type DialectSample, type LineContext } from './common.js';

const ACCESS =
  /^(\S+) (\S+) (\S+) (?:\[([^\]]{10,40})\]|(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)) "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(.*)$/;

export function parseAccess(text: string, ctx: LineContext): LogEvent | null {
  if (blankThen(text, '"') < 0) return null;
  const m = ACCESS.exec(text);
  if (!m) return null;
  const ts = parseStampText(m[4] ?? m[5], ctx);
  if (ts === undefined) return null;
  const ev = newEvent('access', text, m[6]);
  ev.ts = ts;
  const f = ev.fields;
  f.client = m[1];
  if (m[3] !== '-') f.user = m[3];
  // `%r` is `METHOD URI PROTOCOL`: the first two words (what split(' ') gives, without its array)
  const req = m[6];
  const sp = req.indexOf(' ');
  if (sp >= 0) {
    f.method = req.slice(0, sp);
    const sp2 = req.indexOf(' ', sp + 1);
    f.uri = req.slice(sp + 1, sp2 < 0 ? undefined : sp2);
  }
  if (m[7] !== '-') f.status = Number(m[7]);
  if (m[8] !== '-') f.bytes = Number(m[8]);
  const rest = m[9].trim();
  if (rest !== '') f.rest = rest;
  return ev;
}

const samples: DialectSample[] = [
  {
    source: 'samples/baseline/access_log (httpd 2.4.71, common + %D + User-Agent)',
    line: '127.0.0.1 - - [21/Nov/2026:10:46:05 +0000] "GET /app/big?size=200000 HTTP/1.1" 200 200000 20512 "curl/7.88.1"',
    expect: {
      dialect: 'access', ts: '2026-11-21T10:46:05.000Z', message: 'GET /app/big?size=200000 HTTP/1.1',
      fields: { client: '127.0.0.1', method: 'GET', uri: '/app/big?size=200000', status: 200, bytes: 200000, rest: '20512 "curl/7.88.1"' },
    },
  },
  {
    source: 'samples/baseline/tomcat_access_log.txt (Tomcat 10.1.60 AccessLogValve %h %l %u %t "%r" %s %b %D)',
    line: '127.0.0.1 - - [21/Nov/2026:10:46:05 +0000] "HEAD /app/echo HTTP/1.1" 200 - 5238',
    expect: { dialect: 'access', fields: { method: 'HEAD', status: 200 } },
  },
  {
    source: 'samples/mcmp/access_log (ISO %{…}t stamp, MCMP methods)',
    line: '127.0.0.1 - - 2026-11-21 10:15:52.541631 "CONFIG / HTTP/1.1" 200 - "ClusterListener/1.0" - Keep-Alive 1',
    expect: { dialect: 'access', ts: '2026-11-21T10:15:52.541Z', fields: { method: 'CONFIG', uri: '/', status: 200 } },
  },
];

export const accessParser: DialectParser = { name: 'access', parse: parseAccess, samples };
