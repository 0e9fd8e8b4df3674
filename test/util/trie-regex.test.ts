import { describe, expect, it } from 'vitest';
import { trieSource } from '../../src/util/trie-regex.js';

const flat = (lits: string[]) => new RegExp(lits.slice().sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

describe('trieSource', () => {
  it('matches what a flat alternation (longest first) matches, at the same places', () => {
    const lits = ['connect to ', 'connecting to backend failed', 'tomcat failed', 'Connecting to tomcat failed', 'a.b(c)', 'すべてのスレッド', 'ステータス', '[Connector[AJP', 'x|y', 'ab', 'abc', 'abd'];
    const texts = ['jk: connect to 1.2.3.4:8009 failed; Connecting to tomcat failed', 'a.b(c) x|y [Connector[AJP/1.3-8009]]', 'abcd abd ab', '致命的: すべてのスレッド (200) … ステータスを', 'nothing here'];
    const trie = new RegExp(trieSource(lits), 'g');
    for (const t of texts) {
      const a = [...t.matchAll(flat(lits))].map((m) => [m.index, m[0]]);
      const b = [...t.matchAll(trie)].map((m) => [m.index, m[0]]);
      expect(b, t).toEqual(a);
    }
  });
  it('matches nothing for an empty set', () => {
    expect(new RegExp(trieSource([])).test('anything')).toBe(false);
  });
});
