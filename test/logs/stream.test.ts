/**
 * Logs streamed (issue 14): several files read side by side must give the events in the order the
 * whole-file merge (`readLogs`, `mergeByTime`) gives them, and what a caller keeps of an event
 * (`keepEvent`) must read exactly as the event does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepEvent, readLogs, streamLogs, type LogEvent } from '../../src/logs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ajp-inspect-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic generator (the same cases every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} Nov ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} 2026`;
}

/** mod_jk lines (some out of order, as several processes write them) and stamp-less jk source lines. */
function file(r: () => number, n: number, base: number): string {
  const out: string[] = [];
  let t = base;
  for (let i = 0; i < n; i++) {
    t += (Math.floor(r() * 4) - 1) * 1000; // whole seconds: equal stamps across files are common
    if (r() < 0.2) out.push(`jk_connect.c (451): connect to 10.0.0.${i % 9}:8009 failed (errno=111)`);
    else out.push(`[${stamp(t)}] [${20000 + (i % 3)}:140536740562624] [info] ajp_service::jk_ajp_common.c (2774): (node${i % 4}) sending request to tomcat failed (recoverable), because of error during request sending (attempt=${i})`);
  }
  return out.join('\n') + '\n';
}

const key = (e: LogEvent) => `${e.path}:${e.line}:${e.ts ?? '-'}:${e.text}`;

describe('streamLogs', () => {
  it('merges several files by time exactly as readLogs does (random files, stamp-less heads, ties)', async () => {
    const r = rng(14);
    for (let c = 0; c < 25; c++) {
      const paths: string[] = [];
      const files = 2 + Math.floor(r() * 3);
      for (let f = 0; f < files; f++) {
        const p = join(dir, `c${c}-f${f}.log`);
        // same base for some files: equal stamps across files (ties go to the earlier file)
        writeFileSync(p, file(r, Math.floor(r() * 60), Date.UTC(2026, 10, 21, 8, 0, 0) + (r() < 0.5 ? 0 : Math.floor(r() * 40_000))));
        paths.push(p);
      }
      const whole = await readLogs(paths, { tz: 'UTC' });
      const streamed: LogEvent[] = [];
      const summaries = await streamLogs(paths, { tz: 'UTC' }, (ev) => streamed.push(ev));
      expect(streamed.map(key)).toEqual(whole.events.map(key));
      expect(summaries).toEqual(whole.summaries);
    }
  });

  it('a kept event reads as the event it copies', async () => {
    const p = join(dir, 'keep.log');
    writeFileSync(p, file(rng(3), 40, Date.UTC(2026, 10, 21, 8, 0, 0)));
    const { events } = await readLogs([p], { tz: 'UTC' });
    expect(events.length).toBe(40);
    for (const ev of events) expect(JSON.parse(JSON.stringify(keepEvent(ev)))).toEqual(JSON.parse(JSON.stringify(ev)));
  });
});
