/**
 * The verticals and the rules agree on the evidence kinds: every kind a rule asks for is produced (by
 * detect/ for AJP, by the MCMP cluster replay), and every kind detect/ produces is read.
 */
import { describe, expect, it } from 'vitest';
import { DETECTED_KINDS } from '../../src/detect/index.js';
import { MCMP_EVIDENCE_KINDS } from '../../src/mcmp/index.js';
import { rules } from '../../src/rules/index.js';

describe('capture evidence kinds', () => {
  const asked = new Set(rules.flatMap((r) => r.needs.capture ?? []));
  const produced: readonly string[] = [...DETECTED_KINDS, ...MCMP_EVIDENCE_KINDS];
  it('every kind a rule asks for is one a vertical produces', () => {
    expect([...asked].filter((k) => !produced.includes(k))).toEqual([]);
  });
  it('MCMP evidence reaches the rules: node state, removal, MEM, SYNTAX, unanswered STATUS, httpd restart', () => {
    for (const k of ['mcmp-node-notok', 'mcmp-node-broken', 'mcmp-node-removed', 'mcmp-mem-error', 'mcmp-syntax-error', 'mcmp-unanswered', 'mcmp-httpd-restarted']) expect(asked.has(k), k).toBe(true);
  });
  it('every kind detect/ produces is read by some rule', () => {
    expect(DETECTED_KINDS.filter((k) => !asked.has(k))).toEqual([]);
  });
});
