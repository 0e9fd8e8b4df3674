import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/logs/index.js';
import { bursts, countWithin, defineRule, diagnose, followedBy, groupBy, hostOf, isLoopback, perRequest, precededBy, redact, type Signal, type SignalDef } from '../../src/rules/index.js';
import { errnoIn } from '../../src/rules/signals.js';
import { fx, parse } from './harness.js';

function ev(line: number, text: string, ts?: number, extra: Partial<LogEvent> = {}): LogEvent {
  return { path: 'x.log', line, text, message: text, dialect: 'modjk', ts, fields: {}, ...extra };
}
function sig(seq: number, ts: number | undefined, d: Record<string, string | number> = {}, extra: Partial<LogEvent> = {}): Signal {
  return { kind: 'k', ev: ev(seq + 1, 'x', ts, extra), d, seq };
}

describe('correlation helpers', () => {
  const a = [sig(0, 1000), sig(2, 5000), sig(4, 100_000)];
  const b = [sig(1, 1500), sig(3, 9000), sig(5, 100_500)];
  it('followedBy pairs each a with the first b inside the window', () => {
    expect(followedBy(a, b, { windowMs: 1000 }).map(([x, y]) => [x.seq, y.seq])).toEqual([
      [0, 1],
      [4, 5],
    ]);
  });
  it('precededBy looks back only inside the window', () => {
    expect(precededBy(b[1], a, 5000)?.seq).toBe(2);
    expect(precededBy(b[1], a, 1000)).toBeUndefined();
  });
  it('countWithin finds n events inside a sliding window, per group', () => {
    const s = [sig(0, 0, { w: 'a' }), sig(1, 100, { w: 'b' }), sig(2, 200, { w: 'a' }), sig(3, 300, { w: 'a' }), sig(4, 50_000, { w: 'a' })];
    const c = countWithin(s, { n: 3, windowMs: 1000, key: (x) => String(x.d.w) });
    expect(c.map((x) => [x.key, x.signals.map((y) => y.seq)])).toEqual([['a', [0, 2, 3]]]);
    expect(countWithin(s, { n: 4, windowMs: 1000 })).toEqual([{ key: '', signals: s.slice(0, 4) }]);
  });
  it('bursts split on gaps; lines without stamps use line distance in one file', () => {
    expect(bursts([sig(0, 0), sig(1, 500), sig(2, 10_000)], 1000).map((g) => g.length)).toEqual([2, 1]);
    expect(bursts([sig(0, undefined), sig(1, undefined), sig(500, undefined)], 1000).map((g) => g.length)).toEqual([2, 1]);
  });
  it('groupBy keeps input order inside groups', () => {
    expect([...groupBy([1, 2, 3, 4], (n) => (n % 2 ? 'odd' : 'even'))]).toEqual([
      ['odd', [1, 3]],
      ['even', [2, 4]],
    ]);
  });
  it('perRequest collapses the lines of one request (same pid:tid within 2 s)', () => {
    const s = [sig(0, 0, {}, { pid: 1, tid: '7' }), sig(1, 10, {}, { pid: 1, tid: '7' }), sig(2, 20, {}, { pid: 1, tid: '8' }), sig(3, 9000, {}, { pid: 1, tid: '7' })];
    expect(perRequest(s).map((x) => x.seq)).toEqual([0, 2, 3]);
  });
  it('parses errno in every JK wording and hosts in every form', () => {
    expect(errnoIn('connect to 1.2.3.4:8009 failed (errno=111)')).toBe(111);
    expect(errnoIn('connect to 1.2.3.4:8009 failed with errno=111')).toBe(111);
    expect(errnoIn('network problems or tomcat is down (1.2.3.4:8009), err=-110')).toBe(110);
    expect(hostOf('[::1]:8009')).toBe('::1');
    expect(hostOf('::1')).toBe('::1');
    expect(hostOf('127.0.0.1:8009')).toBe('127.0.0.1');
    expect(isLoopback('[::1]:8009')).toBe(true);
    expect(isLoopback('10.0.0.1:8009')).toBe(false);
  });
});

describe('redaction', () => {
  it('hides cookies, session ids and secrets', () => {
    expect(redact('Cookie: JSESSIONID=ABC123; other=1')).toBe('Cookie: [redacted]');
    expect(redact('GET /app;jsessionid=ABCDEF?x=1')).toBe('GET /app;jsessionid=[redacted]?x=1');
    expect(redact('worker.node1.secret=s3cr3t other')).toBe('worker.node1.secret=[redacted] other');
    expect(redact('<Connector secret="abc" port="8009"/>')).toBe('<Connector secret=[redacted] port="8009"/>');
    expect(redact('connect to 127.0.0.1:8009 failed (errno=111)')).toBe('connect to 127.0.0.1:8009 failed (errno=111)');
  });
  it('is applied to finding evidence', () => {
    const probe: SignalDef = { kind: 'probe', source: 'jk', needles: ['failed appending'], re: /failed appending/ };
    const rule = defineRule({
      id: 'request-exceeds-packet-size',
      title: 't',
      severity: 'warning',
      needs: { logs: [probe] },
      docs: { summary: 's', remedy: ['r'], references: ['x'] },
      check: (ctx) => [ctx.finding({ confidence: 'possible', explanation: 'e', evidence: ctx.signals(probe) })],
    });
    const events = [ev(1, 'failed appending the header value Cookie: JSESSIONID=SECRET123')];
    const r = diagnose({ events }, { rules: [rule] });
    expect(r.findings[0].evidence[0]).toMatchObject({ source: 'log', path: 'x.log', line: 1 });
    expect(JSON.stringify(r.findings)).not.toContain('SECRET123');
  });
});

describe('engine', () => {
  it('reports rules whose logs are missing as not evaluated, with what they need', () => {
    const { events } = parse(fx('excerpts/E08.log'));
    const r = diagnose({ events });
    const ghost = r.notEvaluated.find((n) => n.id === 'ghostcat-probe');
    expect(ghost?.reason).toMatch(/Tomcat log/);
    expect(ghost?.reason).toMatch(/capture/);
    expect(r.notEvaluated.find((n) => n.id === 'backend-down-or-wrong-port')).toBeUndefined();
  });
  it('a failing rule becomes a not-evaluated entry, the others still run', () => {
    const boom = defineRule({
      id: 'jvm-gc-pause',
      title: 't',
      severity: 'info',
      needs: { logs: [{ kind: 'any', source: 'jk', needles: ['connect'], re: /connect/ }] },
      docs: { summary: 's', remedy: ['r'], references: ['x'] },
      check: () => {
        throw new Error('bug');
      },
    });
    const { events } = parse(fx('excerpts/E08.log'));
    const r = diagnose({ events }, { rules: [boom] });
    expect(r.notEvaluated).toEqual([{ id: 'jvm-gc-pause', reason: 'rule failed: bug' }]);
  });
  it('caps evidence and says how much was left out', () => {
    const { events } = parse(fx('excerpts/E08.log'));
    const r = diagnose({ events }, { maxEvidence: 3 });
    const f = r.findings.find((x) => x.id === 'backend-down-or-wrong-port')!;
    expect(f.evidence).toHaveLength(3);
    expect(f.notes?.some((n) => /more matching lines not shown/.test(n))).toBe(true);
  });
  it('a finding with thousands of log lines: the first ones and the last one shown, in input order with its capture items, every line counted once', () => {
    const anySignal: SignalDef = { kind: 'any', source: 'jk', needles: ['refused'], re: /refused/ };
    const rule = defineRule({
      id: 'jvm-gc-pause',
      title: 't',
      severity: 'error',
      needs: { logs: [anySignal], capture: ['connect-refused'] },
      docs: { summary: 's', remedy: ['r'], references: ['x'] },
      check: (ctx) => {
        const lines = ctx.signals(anySignal);
        const caps = ctx.capture('connect-refused');
        // Input order: a capture item, the lines (the first 10 given twice), a capture item between, the rest after.
        return [ctx.finding({ confidence: 'likely', explanation: 'e', evidence: [caps[0]!, ...lines.slice(0, 2000), ...lines.slice(0, 10), caps[1]!, ...lines.slice(2000), ...caps.slice(2)] })];
      },
    });
    const n = 3000;
    const events = Array.from({ length: n }, (_, i) => ev(i + 1, `connect to 10.0.0.2:8009 refused ${i}`, 1_000_000 + i));
    const capture = Array.from({ length: 5 }, (_, i) => ({ source: 'capture' as const, kind: 'connect-refused', stream: i, frames: [i + 1], ts: 1000 + i, detail: 'RST' }));
    for (const max of [4, 12, 5000]) {
      const f = diagnose({ events, capture }, { rules: [rule], maxEvidence: max }).findings.find((x) => x.id === 'jvm-gc-pause')!;
      const logs = f.evidence.filter((e) => e.source === 'log').map((e) => (e.source === 'log' ? e.line : 0));
      const caps = f.evidence.filter((e) => e.source === 'capture').map((e) => (e.source === 'capture' ? e.stream : -1));
      // capEvidence: capture room max(⌈max/3⌉, max − lines), the lines the rest: the first ones and the last.
      const capRoom = Math.min(5, Math.max(Math.ceil(max / 3), max - n));
      const logRoom = Math.min(n, max - capRoom);
      expect(logs).toEqual(logRoom >= n ? Array.from({ length: n }, (_, i) => i + 1) : [...Array.from({ length: logRoom - 1 }, (_, i) => i + 1), n]);
      expect(caps).toEqual(capRoom >= 5 ? [0, 1, 2, 3, 4] : [...Array.from({ length: capRoom - 1 }, (_, i) => i), 4]);
      // Input order kept: capture item 0 first; capture item 1 after line 2000 and before line 2001 when both are shown.
      expect(f.evidence[0]).toMatchObject({ source: 'capture', stream: 0 });
      const at = (pred: (e: (typeof f.evidence)[number]) => boolean) => f.evidence.findIndex(pred);
      if (caps.includes(1) && logs.includes(n)) expect(at((e) => e.source === 'capture' && e.stream === 1)).toBeLessThan(at((e) => e.source === 'log' && e.line === n));
      if (caps.includes(4) && logs.includes(n)) expect(at((e) => e.source === 'capture' && e.stream === 4)).toBeGreaterThan(at((e) => e.source === 'log' && e.line === n));
      const omitted = n + 5 - logs.length - caps.length;
      if (omitted > 0) expect(f.notes).toContain(`${omitted} more matching lines and capture items not shown`);
      else expect(f.notes ?? []).not.toContainEqual(expect.stringMatching(/not shown/));
    }
  });
  it('uses capture evidence by kind', () => {
    const r = diagnose({
      events: [],
      capture: [{ source: 'capture', kind: 'cpong-expected', stream: 3, frames: [812, 813], ts: 0, detail: 'CPing answered by GET_BODY_CHUNK' }],
    });
    const f = r.findings.find((x) => x.id === 'cping-desync-leftover-packets');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.evidence[0]).toMatchObject({ source: 'capture', frames: [812, 813] });
  });
  it('sorts findings by severity, then confidence', () => {
    const { events } = parse(fx('seed-000-isapi-1.2.28.txt'));
    expect(diagnose({ events }).findings.map((f) => f.severity)).toEqual(['error', 'info']);
  });
});
