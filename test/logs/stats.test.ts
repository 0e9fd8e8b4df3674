/** logs/stats.ts: the request statistics' accumulators (memory per row, the statuses as printed). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RequestStatsBuilder, requestStats } from '../../src/logs/index.js';
import { newEvent } from '../../src/logs/dialects/common.js';
import type { LogEvent } from '../../src/logs/types.js';

function access(ts: number, status: number, rest = '1000'): LogEvent {
  const ev = newEvent('access', `x [${ts}] "GET / HTTP/1.1" ${status} 0 ${rest}`, 'GET / HTTP/1.1');
  ev.ts = ts;
  ev.fields = { status, rest };
  return ev;
}

function jk(worker: string, status: number): LogEvent {
  const ev = newEvent('jk-request', `${worker} ${status}`, '');
  ev.fields = { worker, status, seconds: 0.5 };
  return ev;
}

/** V8's collector, as `node --expose-gc` gives it (a flag set at run time holds for contexts made after it). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('RequestStatsBuilder', () => {
  it('statuses come out as the keyed object did: integer-like keys ascending, the others in first-seen order', () => {
    const evs = [504, 200, 0, 1e21, 2.5, 500, 504, -0, 200].map((s, i) => access(60_000 * (i % 2), s));
    const s = requestStats(evs);
    expect(JSON.stringify(s.total.statuses)).toBe('{"0":2,"200":2,"500":1,"504":2,"1e+21":1,"2.5":1}');
    expect(JSON.stringify(s.intervals.map((b) => b.statuses))).toBe('[{"0":1,"200":1,"504":2,"2.5":1},{"0":1,"200":1,"500":1,"1e+21":1}]');
    expect(JSON.stringify(s.total.classes)).toBe('{"5xx":3,"2xx":2,"0xx":3,"10000000000000000000xx":1}');
  });

  it('a row with a 5xx status costs well under a kilobyte more than one without (a keyed "504" cost ~6 KB a row)', () => {
    const gc = collector();
    const rows = 5000;
    // (held: a builder no longer used would be collected before its heap is measured)
    const held: RequestStatsBuilder[] = [];
    const heapOf = (status: number): number => {
      const b = new RequestStatsBuilder(60_000);
      held.push(b);
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < rows; i++) b.add(access(i * 60_000, status));
      gc();
      return process.memoryUsage().heapUsed - before;
    };
    const plain = heapOf(5);
    const keyed = heapOf(504);
    expect((keyed - plain) / rows).toBeLessThan(1000);
    expect(held.map((b) => b.result().requests)).toEqual([rows, rows]);
  });

  it('so does a worker (JkRequestLog %w): a worker per line', () => {
    const gc = collector();
    const n = 5000;
    const b = new RequestStatsBuilder(60_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) b.add(jk(`w${i}`, 503));
    gc();
    const per = (process.memoryUsage().heapUsed - before) / n;
    expect(b.result().requests).toBe(n);
    expect(per).toBeLessThan(1500);
  });
});
