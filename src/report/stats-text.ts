/**
 * `ajp-inspect stats` as text: per interval and per worker, requests, status classes and latency, the
 * table mod_jk's tools/reports scripts made from the request log.
 */
import { tableLines } from '../util/table.js';
import { statsRows, type RequestBucket, type RequestStats, type RequestStatsRows } from '../logs/index.js';

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
  return [...statsTextLines(statsRows(s), files)].join('\n') + '\n';
}

/**
 * {@link renderStatsText}'s lines (without their newlines), made as they are asked for: the rows of
 * the tables one at a time from `s` (util/table.ts tableLines), none of them held.
 */
export function* statsTextLines(s: RequestStatsRows, files: readonly string[]): Generator<string> {
  if (s.requests === 0) {
    yield `No request lines (access log or JkRequestLog) in ${files.join(', ')}.`;
    return;
  }
  const five = s.total.classes['5xx'] ?? 0;
  yield `Requests: ${s.requests}, server errors (5xx): ${five}${s.total.latency ? `, latency median ${ms(s.total.latency.medianMs)}, p95 ${ms(s.total.latency.p95Ms)}, max ${ms(s.total.latency.maxMs)}` : ''}.`;
  yield '';
  const per = `per ${s.intervalMs % 60_000 === 0 ? `${s.intervalMs / 60_000} min` : `${s.intervalMs / 1000} s`} (UTC)`;
  yield* tableLines({ head: [per, ...HEAD.slice(1)], style: { head: [], border: [] } }, function* () {
    for (const b of s.intervals()) yield row(new Date(b.from!).toISOString().replace('T', ' ').slice(0, 19), b);
    yield row('total', s.total);
  });
  if (!s.workers()[Symbol.iterator]().next().done) {
    yield '';
    yield* tableLines({ head: ['worker', ...HEAD.slice(1)], style: { head: [], border: [] } }, function* () {
      for (const [name, b] of s.workers()) yield row(name, b);
    });
  }
  yield '';
  yield `Durations: ${s.durationNote}.`;
}
