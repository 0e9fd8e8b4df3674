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
  it('writes the source the node-per-character trie wrote, on random sets (prefixes, duplicates, syntax characters, surrogate pairs, lone surrogates)', () => {
    // The alphabet is small so that literals share prefixes and branch at every depth.
    const alphabet = ['a', 'b', '.', '|', '\\', '/', 'é', '\u{1F600}', '\u{1F601}', '\uD83D', '\uDE00', 'x'];
    let seed = 20261205;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const lits: string[] = [];
      const n = 1 + rnd(8);
      for (let i = 0; i < n; i++) {
        // a literal, or a prefix / extension of one already made
        if (lits.length > 0 && rnd(3) === 0) {
          const base = lits[rnd(lits.length)]!;
          lits.push(rnd(2) === 0 ? base.slice(0, rnd(base.length + 1)) : base + alphabet[rnd(alphabet.length)]!);
        } else {
          let s = '';
          const len = rnd(7);
          for (let k = 0; k < len; k++) s += alphabet[rnd(alphabet.length)]!;
          lits.push(s);
        }
      }
      expect(trieSource(lits), JSON.stringify(lits)).toBe(nodeTrieSource(lits));
    }
    // a lone high surrogate and a pair that starts with it, at the same place after a shared run
    for (const pair of [['x\uD83Da', 'x\u{1F600}b'], ['x\u{1F600}b', 'x\uD83Da'], ['xy\uD83D', 'xy\u{1F600}']]) expect(trieSource(pair)).toBe(nodeTrieSource(pair));
    const long = ['big=' + 'Ab+/9'.repeat(2000), 'Ab+/9'.repeat(2000), 'not-the-tomcat-secret', 's3cr3t-of-tomcat'];
    expect(trieSource(long)).toBe(nodeTrieSource(long));
  });
  it('matches nothing for an empty set', () => {
    expect(new RegExp(trieSource([])).test('anything')).toBe(false);
  });
});

/**
 * The trie as it was written before it was built without nodes (src/util/trie-regex.ts at e234263),
 * kept frozen as this test's oracle: a Map of children per character, in insertion order.
 */
interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}
function nodeEscape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
function nodeSource(node: TrieNode): string {
  const branches: string[] = [];
  for (const [c, child] of node.next) {
    let run = nodeEscape(c);
    let n = child;
    while (n.next.size === 1 && !n.end) {
      const [c2, n2] = n.next.entries().next().value as [string, TrieNode];
      run += nodeEscape(c2);
      n = n2;
    }
    branches.push(run + (n.next.size ? (n.end ? `(?:${nodeSource(n)})?` : nodeSource(n)) : ''));
  }
  return branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
}
function nodeTrieSource(literals: readonly string[]): string {
  const root: TrieNode = { next: new Map(), end: false };
  for (const lit of literals) {
    if (lit === '') continue;
    let n = root;
    for (const c of lit) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { next: new Map(), end: false }));
      n = child;
    }
    n.end = true;
  }
  if (root.next.size === 0) return '(?!)';
  return nodeSource(root);
}
