/**
 * ReDoS-free by construction (issue 15): every regular expression of src/logs and src/rules — the
 * literals in the source and the ones built at run time and reachable from the modules' exports
 * (rule signals, Tomcat message wordings) — is
 *
 *  1. checked statically as safe-regex does (star height ≤ 1: no unbounded quantifier on a group
 *     that holds one, the `(a+)+` shape that backtracks exponentially);
 *  2. fed crafted worst-case strings (its longest literal run, then a pumped character or pair,
 *     then a tail that makes the match fail late) at two sizes, n and 8n: the work must grow about
 *     as the input does. This compares the two sizes (a ratio), not a time against a clock; a
 *     quadratic pattern grows ~64×, a linear one ~8×.
 *
 * And the readers cap a line before any of them sees it (logs/reader.ts MAX_LINE).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import * as logs from '../../src/logs/index.js';
import * as rulesIndex from '../../src/rules/index.js';
import * as signals from '../../src/rules/signals.js';
import * as tomcatMessages from '../../src/rules/tomcat-messages.js';
import * as unwrap from '../../src/logs/unwrap.js';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (f.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** Regex literals in TypeScript source: a `/…/flags` after a token that cannot end an expression. */
function literalsIn(src: string): string[] {
  const out: string[] = [];
  const re = /(?<=[=(,:[!&|?{};]\s*|return\s+|^\s*)\/(?![/*])((?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+)\/([dgimsuyv]*)/gm;
  for (const m of src.matchAll(re)) out.push(`/${m[1]}/${m[2]}`);
  return out;
}

interface Found {
  where: string;
  re: RegExp;
}

function collect(): Found[] {
  const found: Found[] = [];
  for (const dir of ['src/logs', 'src/rules']) {
    for (const f of tsFiles(join(root, dir))) {
      const src = readFileSync(f, 'utf8');
      for (const lit of literalsIn(src)) {
        try {
          // eslint-disable-next-line @typescript-eslint/no-implied-eval
          const re = new Function(`return ${lit};`)() as RegExp;
          if (re instanceof RegExp) found.push({ where: `${f.slice(root.length + 1)} ${lit.slice(0, 80)}`, re });
        } catch {
          // not a regex literal after all (a division in a comment-free expression): skipped
        }
      }
    }
  }
  // Built at run time: reachable from the exports (signals' joined patterns, Tomcat wordings, rules).
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > 8 || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof RegExp) {
      found.push({ where: path, re: v });
      return;
    }
    if (v instanceof Map) for (const [k, x] of v) walk(x, `${path}.${String(k)}`, depth + 1);
    else for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, depth + 1);
  };
  for (const [name, mod] of Object.entries({ logs, rules: rulesIndex, signals, tomcatMessages, unwrap })) walk({ ...mod }, name, 0);
  return found;
}

const all = collect();

/**
 * safe-regex's check: an unbounded quantifier applied to a group that already holds one — unless
 * every way through the group consumes a fixed character (`(?:\.[\w$]+)+`, `(?:\[[^\]]*\]\s*)+`,
 * `(?:[ \t]*>)+`): then each repetition must find that character, and the pattern stays linear.
 */
function starHeight(source: string): number {
  interface G {
    h: number;
    literal: boolean;
    alt: boolean;
  }
  const stack: G[] = [{ h: 0, literal: false, alt: false }];
  let max = 0;
  let inClass = false;
  const optionalNext = (i: number): boolean => /^(?:[?*]|\{0,)/.test(source.slice(i));
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      i++;
      if (!/[dDwWsSbBpPuxk0-9]/.test(e) && !optionalNext(i + 1)) top.literal = true;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      stack.push({ h: 0, literal: false, alt: false });
      if (source[i + 1] === '?') i += source[i + 2] === '<' && /[=!]/.test(source[i + 3] ?? '') ? 3 : source[i + 2] === '<' ? 2 : 2;
    } else if (c === ')') {
      const g = stack.pop() ?? { h: 0, literal: false, alt: false };
      const unbounded = /^(?:[*+]|\{\d+,\})/.test(source.slice(i + 1));
      const inner = g.literal && !g.alt ? Math.min(g.h, 1) - 1 : g.h;
      const h = Math.max(g.h, inner + (unbounded ? 1 : 0));
      const parent = stack[stack.length - 1]!;
      parent.h = Math.max(parent.h, h);
      max = Math.max(max, h);
    } else if (c === '|') top.alt = true;
    else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
      top.h = Math.max(top.h, 1);
      max = Math.max(max, 1);
    } else if (!/[.^$?{}]/.test(c) && !optionalNext(i + 1)) top.literal = true;
  }
  return max;
}

/** The longest run of literal characters in a pattern: what a crafted input starts with to get in. */
function literalRun(source: string): string {
  let best = '';
  let cur = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && /[.\-/()[\]{}?*+|^$\\ :'"=]/.test(source[i + 1] ?? '')) {
      cur += source[++i];
    } else if (/[\w :'"=,;<>!@#%&~`-]/.test(c) && !/[*+?{]/.test(source[i + 1] ?? '')) cur += c;
    else {
      if (cur.length > best.length) best = cur;
      cur = '';
    }
  }
  return cur.length > best.length ? cur : best;
}

const PUMPS = [' ', 'a', '0', '.', 'a ', ' a', '0.', '- ', ':', '[', '\t', 'aé'];
const TAILS = ['', '!\n!', '\u0000'];

function work(re: RegExp, lit: string, n: number): number {
  // Sticky (y) patterns are tried at one position, as their code uses them; g is dropped (no state).
  const r = new RegExp(re.source, re.flags.replace('g', ''));
  const t0 = performance.now();
  for (const p of PUMPS) {
    const pump = p.repeat(Math.ceil(n / p.length));
    for (const tail of TAILS) {
      r.test(pump + tail);
      if (lit !== '') r.test(lit + pump + tail);
    }
  }
  return performance.now() - t0;
}

describe('regular expressions of logs/ and rules/: no ReDoS', () => {
  it('they are found (literals and the ones built at run time)', () => {
    expect(all.length).toBeGreaterThan(150);
    expect(all.some((f) => f.where.startsWith('src/rules/signals.ts'))).toBe(true);
    expect(all.some((f) => f.where.startsWith('src/logs/dialects/httpd.ts'))).toBe(true);
  });

  it('star height ≤ 1 (no nested unbounded quantifier), as safe-regex checks', () => {
    const bad = all.filter((f) => starHeight(f.re.source) > 1).map((f) => f.where);
    expect(bad).toEqual([]);
  });

  it('crafted worst-case strings: the work grows linearly (8× the input, well under 64× the work)', () => {
    const N = 500;
    const slow: string[] = [];
    for (const f of all) {
      const lit = literalRun(f.re.source);
      const small = work(f.re, lit, N);
      let big = work(f.re, lit, 8 * N);
      // Too small to compare, or noise: only a pattern that costs and grows is looked at again.
      if (big < 4 || big / Math.max(small, 0.05) < 30) continue;
      for (let k = 0; k < 2 && big / Math.max(small, 0.05) >= 30; k++) big = Math.min(big, work(f.re, lit, 8 * N));
      if (big >= 4 && big / Math.max(small, 0.05) >= 30) slow.push(`${f.where}: ${small.toFixed(1)} ms at ${N}, ${big.toFixed(1)} ms at ${8 * N}`);
    }
    expect(slow).toEqual([]);
  }, 120_000);
});
