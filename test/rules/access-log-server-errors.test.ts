import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';
import { collectSignals, LogIntake, rules } from '../../src/rules/index.js';
import { sample, run } from './harness.js';

const ID = 'access-log-server-errors';

describe(ID, () => {
  it('an access log alone (reply-timeout run, httpd 2.4 access_log): the 504s are named with what 504 means, not "no root cause"', () => {
    const r = run(sample('reply-timeout', ['access_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.severity).toBe('warning');
    expect(f!.confidence).toBe('possible');
    expect(f!.explanation).toMatch(/\d+×504/);
    expect(f!.explanation).toMatch(/504 = the web server timed out waiting for the backend/);
    for (const e of f!.evidence) expect(e.source === 'log' && /" 50\d /.test(e.text)).toBe(true);
  });
  it('with the mod_jk log of the same run: a consequence under the cause, dropped to info', () => {
    const r = run(sample('reply-timeout', ['mod_jk.log', 'access_log']));
    const f = r.get(ID)!;
    expect(r.findings[0].id).toBe('slow-backend-reply-timeout');
    expect(f.causedBy).toBe('slow-backend-reply-timeout');
    expect(f.severity).toBe('info');
  });
  it('a healthy run (baseline access_log, every status 2xx/3xx/4xx) says nothing', () => {
    expect(run(sample('baseline', ['access_log'])).get(ID)).toBeUndefined();
  });
  it('JkRequestLog lines (JkRequestLogFormat "%w %m %U %s %T", mod_jk.c request_log_transaction) count too', () => {
    const text = ['[Thu Mar 09 16:41:25 2023] lb POST /app/upload 502 30.001234', '[Thu Mar 09 16:41:27 2023] lb GET /app/a 503 0.000812', '[Thu Mar 09 16:41:29 2023] lb GET /app/b 503 0.000790', '[Thu Mar 09 16:41:30 2023] lb GET /app/c 200 0.010000'].join('\n');
    const f = run({ path: 'jk_request.log', text }).get(ID);
    expect(f?.explanation).toMatch(/2×503 and 1×502/);
  });
});

describe('access-server-error: read from the parsed line (SignalDef.fromEvent), no needle', () => {
  const SAMPLES = join(__dirname, '../../samples');
  it('is every line of the samples\' access logs (real httpd and Tomcat runs) whose %>s is 5xx, and no other line', () => {
    let total = 0;
    for (const dir of readdirSync(SAMPLES)) {
      for (const name of ['access_log', 'tomcat_access_log.txt']) {
        const path = join(SAMPLES, dir, name);
        if (!existsSync(path)) continue;
        const text = readFileSync(path, 'utf8');
        // the oracle: the CLF grammar itself, `"%r" %>s` (mod_log_config), on the raw lines
        const want = text.split('\n').filter((l) => /" 5\d\d [-\d]/.test(l)).length;
        const { events } = parseLogText(text, { path, tz: 'UTC' });
        const intake = new LogIntake(collectSignals(rules));
        for (const ev of events) intake.push(ev);
        expect(intake.signals.count('access-server-error'), path).toBe(want);
        total += want;
      }
    }
    expect(total).toBeGreaterThan(40);
  });

  it('takes the status field, not a 5xx elsewhere on the line; other dialects never give one', () => {
    const lines = [
      // httpd combined, status 200: "503" only in the URL and the size
      '127.0.0.1 - - [21/Nov/2026:10:46:05 +0000] "GET /app/echo?code=503 HTTP/1.1" 200 503 "-" "curl/7.88.1"',
      // an HTTP/0.9-style request line (no protocol) answered 503 (httpd logs "%r" as sent)
      '127.0.0.1 - - [21/Nov/2026:10:46:06 +0000] "GET /app/echo" 503 299',
      // mod_jk 1.2.48 jk_ajp_common.c ajp_get_reply, a "503" in a jk message
      '[Sat Nov 21 10:46:07.000 2026] [1:2] [info] ajp_service::jk_ajp_common.c (2870): (node1) sending request to tomcat failed (unrecoverable), because of server error (attempt=1) 503',
    ];
    const { events } = parseLogText(lines.join('\n'), { path: 'mixed.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules));
    for (const ev of events) intake.push(ev);
    const got = intake.signals.get('access-server-error')!;
    expect(got.map((s) => [s.ev.line, s.d.status, s.d.uri])).toEqual([[2, 503, '/app/echo']]);
  });
});
