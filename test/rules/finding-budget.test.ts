/** rules/finding-budget.ts: the findings kept as they are made are those a stable sort by rank would keep. */
import { describe, expect, it } from 'vitest';
import { FindingBudget, rankOf } from '../../src/rules/finding-budget.js';
import type { Finding } from '../../src/rules/finding.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;
const CONFIDENCES = ['confirmed', 'likely', 'possible'] as const;

describe('FindingBudget', () => {
  it('keeps what a stable sort by rank then a cut would keep, and builds nothing that could not be kept', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 20; round++) {
      const b = new FindingBudget('r', 'R', 10);
      const made: { f: Finding; rank: number; i: number }[] = [];
      const out: Finding[] = [];
      let built = 0;
      for (let i = 0; i < 200; i++) {
        const severity = SEVERITIES[rand(3)]!;
        const confidence = CONFIDENCES[rand(3)]!;
        const rank = rankOf(severity, confidence);
        if (!b.admits(rank)) {
          out.push(b.placeholder);
          made.push({ f: b.placeholder, rank, i });
          continue;
        }
        built++;
        const f: Finding = { id: 'r', title: 'R', severity, confidence, explanation: `#${i}`, remedy: '', evidence: [], references: [] };
        b.keep(f, rank);
        out.push(f);
        made.push({ f, rank, i });
      }
      const want = [...made].sort((x, y) => x.rank - y.rank || x.i - y.i).slice(0, 10).map((x) => x.f.explanation).sort();
      const got = b.select(out);
      expect(got.map((f) => f.explanation).sort()).toEqual(want);
      expect(built).toBeLessThan(200);
      expect(got.filter((f) => f.notes?.some((n) => n === '190 more findings of this check not shown (200 in all)'))).toHaveLength(1);
    }
  });
  it('under the budget, every finding in the rule order and no note', () => {
    const b = new FindingBudget('r', 'R', 10);
    const out: Finding[] = [];
    for (let i = 0; i < 10; i++) {
      expect(b.admits(rankOf('info', 'possible'))).toBe(true);
      const f: Finding = { id: 'r', title: 'R', severity: 'info', confidence: 'possible', explanation: `#${i}`, remedy: '', evidence: [], references: [] };
      b.keep(f, rankOf('info', 'possible'));
      out.push(f);
    }
    expect(b.select(out)).toEqual(out);
    expect(out.every((f) => f.notes === undefined)).toBe(true);
  });
});
