/**
 * inRestartWindow's windows (rules/shared.ts restartWindows / inWindows), worked out once a run,
 * against the look through every refusal group it replaced: the same answer for every signal.
 */
import { describe, expect, it } from 'vitest';
import { inWindows, refusalGroups, restartWindows, type RefusalGroup } from '../../src/rules/shared.js';
import { gapMs, MINUTE, SECOND } from '../../src/rules/helpers.js';
import type { RuleContext, Signal } from '../../src/rules/types.js';

/** The look it replaced: every group asked for each signal. */
function inRestartWindowByGroups(groups: readonly RefusalGroup[], s: Signal): boolean {
  for (const g of groups) {
    const first = g.signals[0];
    const last = g.signals[g.signals.length - 1];
    if (s.ev.ts === undefined || first.ev.ts === undefined || last.ev.ts === undefined) {
      if (s.ev.path === first.ev.path && s.ev.line >= first.ev.line - 50 && s.ev.line <= last.ev.line + 50) return true;
      continue;
    }
    const startup = g.lifecycle.find((l) => l.d.what === 'Server startup in' && l.ev.ts !== undefined && l.ev.ts >= first.ev.ts!);
    const end = startup ? Math.max(startup.ev.ts! + 2 * SECOND, last.ev.ts) : last.ev.ts + 10 * SECOND;
    if (s.ev.ts >= first.ev.ts - MINUTE && s.ev.ts <= end) return true;
  }
  return false;
}

describe('inRestartWindow, worked out once a run', () => {
  // a small generator of its own: the same cases on every run
  let seed = 20261206;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const sig = (path: string, line: number, ts: number | undefined, what?: string): Signal => ({
    kind: what === undefined ? 'jk-connect-failed' : 'tomcat-lifecycle',
    seq: line,
    d: what === undefined ? {} : { what },
    ev: { path, line, text: '', message: '', dialect: 'modjk', fields: {}, ...(ts === undefined ? {} : { ts }) },
  });
  const paths = ['mod_jk.log', 'error_log', 'catalina.out'];
  const anySig = (): Signal => sig(paths[rand(3)], rand(600), rand(4) === 0 ? undefined : rand(40) * 5 * SECOND);

  it('answers as asking every group did, on 2,000 sets of groups (stamped or not, several files, with and without a startup)', () => {
    for (let t = 0; t < 2000; t++) {
      const groups = Array.from({ length: rand(6) }, () => {
        const signals = Array.from({ length: 1 + rand(4) }, anySig);
        const lifecycle = Array.from({ length: rand(3) }, () => sig('catalina.out', rand(600), rand(5) === 0 ? undefined : rand(40) * 5 * SECOND, rand(2) ? 'Server startup in' : 'Pausing ProtocolHandler'));
        return { backend: 'h:8009', signals, recovered: false, eofBefore: [], lifecycle, cameBack: false } as RefusalGroup;
      });
      const w = restartWindows(groups);
      for (let k = 0; k < 30; k++) {
        const s = anySig();
        expect(inWindows(w, s), `case ${t}, signal ${k}`).toBe(inRestartWindowByGroups(groups, s));
      }
    }
  });
});

describe('refusalGroups: the lifecycle lines around each group, from the lines sorted by time once', () => {
  let seed = 20261208;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const WHAT = ['Pausing ProtocolHandler', 'Stopping Coyote', 'Server version', 'Starting ProtocolHandler', 'Server startup in'];

  it('picks what filtering every lifecycle line for each group picked, on 500 runs of refusals over several backends and restarts', () => {
    let picked = 0;
    for (let t = 0; t < 500; t++) {
      let seq = 0;
      const refused: Signal[] = [];
      const life: Signal[] = [];
      for (let i = 0, n = 1 + rand(40); i < n; i++) {
        const ts = rand(8) === 0 ? undefined : rand(3000) * SECOND + rand(3) * 2500;
        const backend = `10.0.0.${rand(4)}:8009`;
        refused.push({ kind: 'jk-connect-failed', seq: seq++, d: { backend, errno: 111 }, ev: { path: 'mod_jk.log', line: seq, text: '', message: '', dialect: 'modjk', fields: {}, ...(ts === undefined ? {} : { ts }) } });
      }
      for (let i = 0, n = rand(30); i < n; i++) {
        const ts = rand(6) === 0 ? undefined : rand(3000) * SECOND + rand(11) * 1000 - 5000;
        life.push({ kind: 'tomcat-lifecycle', seq: seq++, d: { what: WHAT[rand(5)] }, ev: { path: 'catalina.out', line: seq, text: '', message: '', dialect: 'tomcat', fields: {}, ...(ts === undefined ? {} : { ts }) } });
      }
      // refusals in input order by time: the groups' first and last are their earliest and latest
      refused.sort((a, b) => (a.ev.ts ?? 0) - (b.ev.ts ?? 0)).forEach((s, i) => ((s as { seq: number }).seq = i));
      const ctx = {
        run: {},
        signals: (k: string | { kind: string }) => ((typeof k === 'string' ? k : k.kind) === 'tomcat-lifecycle' ? life : []),
        signalsOf: (...ks: (string | { kind: string })[]) => (ks.some((k) => (typeof k === 'string' ? k : k.kind) === 'jk-connect-failed') ? refused : []),
        lastTs: () => 3000 * SECOND,
        lastActiveTs: () => 3000 * SECOND,
      } as unknown as RuleContext;
      for (const g of refusalGroups(ctx)) {
        const first = g.signals[0];
        const last = g.signals[g.signals.length - 1];
        const want = life.filter((l) => {
          const a = gapMs(l, first);
          const b = gapMs(last, l);
          return (a !== undefined && a >= -5 * SECOND && a <= 5 * MINUTE) || (b !== undefined && b >= -5 * SECOND && b <= 5 * MINUTE);
        });
        expect(g.lifecycle, `run ${t}, ${g.backend}`).toEqual(want);
        picked += want.length;
      }
    }
    expect(picked).toBeGreaterThan(500);
  });
});
