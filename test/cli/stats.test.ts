/** `ajp-inspect stats`: the figures come from the real httpd / Tomcat access logs of the reply-timeout run (its README: 4 × 504 and 2 × 500 for the slow URL). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('ajp-inspect stats', () => {
  it('counts requests and statuses per minute and in total, with latency from %D', () => {
    const r = runCli(['stats', 'samples/reply-timeout/access_log', '-T', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { requests: number; total: { statuses: Record<string, number>; latency: { maxMs: number; medianMs: number } }; intervals: unknown[] };
    expect(s.total.statuses['504']).toBe(4);
    expect(s.total.statuses['500']).toBe(2);
    expect(s.requests).toBe(Object.values(s.total.statuses).reduce((a, b) => a + b, 0));
    // httpd %D is in microseconds: the 504s waited several seconds, the fast requests well under one
    expect(s.total.latency.maxMs).toBeGreaterThan(1000);
    expect(s.total.latency.maxMs).toBeLessThan(60_000);
    expect(s.intervals.length).toBeGreaterThanOrEqual(1);
  });
  it('text: the summary line first, then the table; a bad --interval is one line, exit 2', () => {
    const r = runCli(['stats', 'samples/reply-timeout/access_log']);
    expect(r.out.split('\n')[0]).toMatch(/^Requests: \d+, server errors \(5xx\): 6, latency median/);
    expect(r.out).toMatch(/4×504/);
    const bad = runCli(['stats', 'samples/reply-timeout/access_log', '--interval', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
  it('a log without request lines says so', () => {
    expect(runCli(['stats', 'samples/reply-timeout/catalina.out']).out).toMatch(/^No request lines/);
  });
  it('text: a worker name redacted as a secret keeps the table aligned (widths measured on the text as shown)', () => {
    // The first line's URI gives the session id (util/secrets.ts: `;jsessionid=X`); a JkRequestLog
    // line whose leading word (%w) is that value names a worker the report must not print.
    const log = [
      '[Thu Mar 09 16:41:25 2023] lb GET /app/cart;jsessionid=wkrB7c9Xq2LmN4pZ 200 0.012345',
      '[Thu Mar 09 16:41:26 2023] wkrB7c9Xq2LmN4pZ GET /app/ 200 0.020000',
      '[Thu Mar 09 16:41:27 2023] worker1 GET /app/ 500 0.150000',
    ].join('\n');
    const r = runCli(['stats', '-', '--log-tz', 'UTC', '--color', 'never'], { input: `${log}\n` });
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('wkrB7c9Xq2LmN4pZ');
    const table = r.out.split('\n').filter((l) => /^[┌│├└]/.test(l));
    const workers = table.slice(table.findIndex((l) => l.startsWith('│ worker')) - 1);
    expect(workers.some((l) => l.startsWith('│ [redacted] '))).toBe(true);
    expect(new Set(workers.map((l) => l.length))).toEqual(new Set([workers[0]!.length]));
  });
});
