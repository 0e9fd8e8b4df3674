/** detect/ and the rules agree on the evidence kinds: every kind a rule asks for is produced, and every produced kind is read. */
import { describe, expect, it } from 'vitest';
import { DETECTED_KINDS } from '../../src/detect/index.js';
import { rules } from '../../src/rules/index.js';

describe('capture evidence kinds', () => {
  const asked = new Set(rules.flatMap((r) => r.needs.capture ?? []));
  it('every kind a rule asks for is one detect/ produces', () => {
    expect([...asked].filter((k) => !(DETECTED_KINDS as readonly string[]).includes(k))).toEqual([]);
  });
  it('every kind detect/ produces is read by some rule', () => {
    expect(DETECTED_KINDS.filter((k) => !asked.has(k))).toEqual([]);
  });
});
