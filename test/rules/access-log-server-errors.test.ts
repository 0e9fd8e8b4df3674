import { describe, expect, it } from 'vitest';
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
