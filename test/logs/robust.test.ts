/** Bad input never throws: every physical line ends up as an event or as an unrecognised count. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';

// Deterministic PRNG (mulberry32) so a failure can be replayed.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REAL = ['E08-modjk-1.2.23.log', 'E14-httpd-2.4.log', 'E24-tomcat-8.5.51.log', 'E12-modjk-1.2.19-windows.log']
  .map((f) => readFileSync(join(import.meta.dirname, '../fixtures/logs/excerpts', f), 'utf8'))
  .join('')
  .split('\n')
  .filter((l) => l !== '');

describe('robustness', () => {
  it('mutated real lines (cut, spliced, bytes replaced) never throw and are all accounted for', () => {
    const r = rng(20261121);
    const alphabet = '[]():. -0123456789abcXYZ\t>\x1b\r"\'/\\';
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let l = REAL[Math.floor(r() * REAL.length)];
      const op = Math.floor(r() * 4);
      const at = Math.floor(r() * l.length);
      if (op === 0) l = l.slice(0, at);
      else if (op === 1) l = l.slice(at);
      else if (op === 2) l = l.slice(0, at) + REAL[Math.floor(r() * REAL.length)].slice(at);
      else {
        const chars = l.split('');
        for (let k = 0; k < 3; k++) chars[Math.floor(r() * chars.length)] = alphabet[Math.floor(r() * alphabet.length)];
        l = chars.join('');
      }
      lines.push(l);
    }
    const { events, summary } = parseLogText(lines.join('\n'), { path: 'fuzz', tz: 'Europe/Berlin' });
    expect(summary.lines).toBe(5000);
    // each event starts on its own physical line, in order; lines not in an event are counted
    const starts = events.map((e) => e.line);
    expect(starts.every((l, i) => l >= 1 && l <= 5000 && (i === 0 || l > starts[i - 1]))).toBe(true);
    expect(events.length + summary.unrecognised).toBeLessThanOrEqual(5000);
    expect(events.length).toBeGreaterThan(2500); // most mutations keep a recognisable head
    expect(summary.unrecognised).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.ts === undefined || Number.isFinite(e.ts)).toBe(true);
      expect(typeof e.message).toBe('string');
      void e.fields; // lazy fields must compute without throwing
      void e.source;
    }
  });

  it('random bytes as text never throw', () => {
    const r = rng(7);
    for (let n = 0; n < 200; n++) {
      const len = Math.floor(r() * 400);
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(r() * (r() < 0.9 ? 128 : 0x3000)));
      const { summary } = parseLogText(s, { path: 'rnd', tz: 'UTC' });
      expect(summary.lines).toBeGreaterThan(0);
    }
  });
});
