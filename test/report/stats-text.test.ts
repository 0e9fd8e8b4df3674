/**
 * report/stats-text.ts and report/stats-json.ts: `stats` written a row at a time gives the text and
 * JSON the whole report gave (the renderer before, kept here, and JSON.stringify), on random
 * statistics; and a row's bucket is made when its line is written, not all of them first.
 */
import { describe, expect, it } from 'vitest';
import { rng as random } from '../fuzz/mutate.js';
import { RequestStatsBuilder, type RequestBucket, type RequestStats, type RequestStatsRows } from '../../src/logs/index.js';
import { newEvent } from '../../src/logs/dialects/common.js';
import type { LogEvent } from '../../src/logs/types.js';
import { statsJsonChunks, statsTextLines } from '../../src/report/index.js';
import { boundedTable } from '../../src/util/table.js';

// The text renderer as it was (report/stats-text.ts at 45a6a04): the whole tables drawn at once.
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
function wholeText(s: RequestStats, files: readonly string[]): string {
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

// Worker names an object orders apart (integer-like first, ascending), quoted in JSON, wide, long, odd.
const NAMES = ['lb', 'w1', '1', '10', '2', '0', '01', '4294967295', '4294967294', '__proto__', 'constructor', '漢字', 'a"b\\c', 'x'.repeat(500), 'tab\there', ''];
const STATUSES = [200, 200, 302, 404, 500, 502, 503, 504, 0, 999, 2.5];

function randomStats(rnd: () => number): RequestStatsBuilder {
  const int = (n: number) => Math.floor(rnd() * n);
  const b = new RequestStatsBuilder([60_000, 10_000, 90_000][int(3)]);
  const n = int(40);
  for (let i = 0; i < n; i++) {
    let ev: LogEvent;
    const status = rnd() < 0.1 ? undefined : STATUSES[int(STATUSES.length)];
    if (rnd() < 0.5) {
      const rest = rnd() < 0.3 ? '-' : String(int(5_000_000));
      ev = newEvent('access', 'x', 'GET / HTTP/1.1');
      ev.fields = { rest, ...(status === undefined ? {} : { status }) };
    } else {
      ev = newEvent('jk-request', 'x', '');
      ev.fields = { worker: NAMES[int(NAMES.length)], seconds: int(30_000) / 1000, ...(status === undefined ? {} : { status }) };
    }
    if (rnd() < 0.9) ev.ts = 1_700_000_000_000 + int(20) * 37_000;
    b.add(ev);
  }
  return b;
}

describe('stats written a row at a time', () => {
  it('text and JSON as the whole report made them (200 random sets of request lines)', () => {
    const rnd = random(125_000);
    for (let trial = 0; trial < 200; trial++) {
      const b = randomStats(rnd);
      const files = trial % 2 ? ['access_log'] : ['a.log', 'jk "request".log', 'stdin'];
      const whole = b.result();
      const chunks = [...statsJsonChunks(files, b.rows())];
      expect(chunks.join(''), `trial ${trial}`).toBe(JSON.stringify({ inputs: files, ...whole }, null, 2) + '\n');
      for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
      expect([...statsTextLines(b.rows(), files)].join('\n') + '\n', `trial ${trial}`).toBe(wholeText(whole, files));
    }
  });

  it('a row is made when it is written: the buckets are not all made first', () => {
    const b = new RequestStatsBuilder(60_000);
    const rows = 5000;
    for (let i = 0; i < rows; i++) {
      const ev = newEvent('jk-request', 'x', '');
      ev.ts = i * 60_000;
      ev.fields = { worker: `w${i % 3}`, status: 200, seconds: 0.5 };
      b.add(ev);
    }
    const r = b.rows();
    let made = 0;
    const counted: RequestStatsRows = {
      ...r,
      intervals: function* () {
        for (const x of r.intervals()) {
          made++;
          yield x;
        }
      },
      workers: function* () {
        for (const x of r.workers()) {
          made++;
          yield x;
        }
      },
    };
    // text: the table's widths take one pass over the rows; its lines come in a second, a row each
    let line = 0;
    for (const l of statsTextLines(counted, ['x'])) {
      if (l.startsWith('│ 1970-01-01 00:00:00')) {
        expect(made).toBe(rows + 1);
        line++;
      }
      if (l.startsWith('│ 1970-01-01 00:01:00')) expect(made).toBe(rows + 2);
    }
    expect(line).toBe(1);
    // JSON: pieces of about 64 KB, each written before the rows after it are made
    made = 0;
    const it = statsJsonChunks(['x'], counted)[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(rows / 10);
  });
});
