/**
 * `ajp-inspect stats` as text: per interval and per worker, requests, status classes and latency, the
 * table mod_jk's tools/reports scripts made from the request log.
 */
import { boundedTable } from '../util/table.js';
import type { RequestBucket, RequestStats } from '../logs/index.js';

function ms(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
}

function row(label: string, b: RequestBucket): string[] {
  const c = (k: string) => String(b.classes[k] ?? 0);
  const errors = Object.entries(b.statuses)
    .filter(([s]) => s.startsWith('5'))
    .map(([s, n]) => `${n}×${s}`)
    .join(' ');
  const l = b.latency;
  return [label, String(b.requests), c('2xx'), c('3xx'), c('4xx'), c('5xx'), errors, ms(l?.meanMs), ms(l?.sdMs), ms(l?.medianMs), ms(l?.p95Ms), ms(l?.maxMs)];
}

const HEAD = ['', 'requests', '2xx', '3xx', '4xx', '5xx', 'errors', 'mean', 'sd', 'median', 'p95', 'max'];

export function renderStatsText(s: RequestStats, files: readonly string[]): string {
  const out: string[] = [];
  if (s.requests === 0) return `No request lines (access log or JkRequestLog) in ${files.join(', ')}.\n`;
  const five = s.total.classes['5xx'] ?? 0;
  out.push(`Requests: ${s.requests}, server errors (5xx): ${five}${s.total.latency ? `, latency median ${ms(s.total.latency.medianMs)}, p95 ${ms(s.total.latency.p95Ms)}, max ${ms(s.total.latency.maxMs)}` : ''}.`, '');
  const t = boundedTable({ head: [`per ${s.intervalMs % 60_000 === 0 ? `${s.intervalMs / 60_000} min` : `${s.intervalMs / 1000} s`} (UTC)`, ...HEAD.slice(1)], style: { head: [], border: [] } });
  for (const b of s.intervals) t.push(row(new Date(b.from!).toISOString().replace('T', ' ').slice(0, 19), b));
  t.push(row('total', s.total));
  out.push(t.toString());
  const workers = Object.entries(s.workers);
  if (workers.length) {
    const w = boundedTable({ head: ['worker', ...HEAD.slice(1)], style: { head: [], border: [] } });
    for (const [name, b] of workers) w.push(row(name, b));
    out.push('', w.toString());
  }
  out.push('', `Durations: ${s.durationNote}.`);
  return out.join('\n') + '\n';
}
