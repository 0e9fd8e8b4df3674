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
});
