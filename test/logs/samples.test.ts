import { describe, expect, it } from 'vitest';
import { dialectParsers, lineContext, parseLine, type DialectSample, type LogEvent } from '../../src/logs/index.js';

const ctx = lineContext({ tz: 'UTC', now: Date.UTC(2026, 10, 21) });

function check(ev: LogEvent | null, s: DialectSample): void {
  expect(ev, s.line).not.toBeNull();
  const e = ev as LogEvent;
  const x = s.expect;
  expect(e.dialect).toBe(x.dialect);
  if (x.ts === null) expect(e.ts).toBeUndefined();
  else if (x.ts !== undefined) expect(new Date(e.ts as number).toISOString()).toBe(x.ts);
  for (const k of ['level', 'pid', 'tid', 'worker', 'requestId', 'module', 'message', 'version'] as const) {
    if (x[k] !== undefined) expect(e[k], k).toBe(x[k]);
  }
  if (x.source) expect(e.source).toMatchObject(x.source);
  if (x.fields) expect(e.fields).toMatchObject(x.fields);
}

describe('every dialect parser reads its own samples', () => {
  for (const p of dialectParsers) {
    it(`${p.name} ships samples`, () => {
      expect(p.samples.length).toBeGreaterThan(0);
    });
    for (const s of p.samples) {
      it(`${p.name}: ${s.source}`, () => {
        // the parser alone …
        check(p.parse(s.line, ctx), s);
        // … and the per-line auto-detection pick the same reading
        check(parseLine(s.line, ctx), s);
      });
    }
  }

  it('no parser claims another dialect’s samples', () => {
    for (const p of dialectParsers) {
      for (const other of dialectParsers) {
        if (other === p) continue;
        for (const s of other.samples) {
          const ev = p.parse(s.line, ctx);
          if (ev !== null) expect(ev.dialect, `${p.name} on ${s.line}`).toBe(s.expect.dialect);
        }
      }
    }
  });
});
