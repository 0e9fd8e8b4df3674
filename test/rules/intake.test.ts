/**
 * The rules' intake (issue 14 logs streamed, issue 15 bounded memory): events classified one at a
 * time keep only what matched, as standalone copies, and a kind stops at its bound with the rest
 * counted and reported.
 */
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';
import { collectSignals, diagnose, LogIntake, rules } from '../../src/rules/index.js';

// mod_jk 1.2.48 jk_ajp_common.c ajp_send_request(), as in samples/backend-down/mod_jk.log
const refused = (s: number) =>
  `[Sat Nov 21 08:00:${String(s).padStart(2, '0')}.037 2026] [20001:140536740562624] [error] ajp_send_request::jk_ajp_common.c (1724): (node1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)`;
const debug = '[Sat Nov 21 08:00:00.037 2026] [20001:140536740562624] [debug] ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=51 max=8192';

describe('LogIntake', () => {
  it('keeps only the events that matched, and identical lines share their text', () => {
    const { events } = parseLogText([debug, refused(1), debug, refused(1), refused(1)].join('\n'), { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules));
    for (const ev of events) intake.push(ev);
    expect(intake.count).toBe(5);
    const kept = intake.signals.get('jk-backend-connect-failed')!;
    expect(kept.map((s) => s.ev.line)).toEqual([2, 4, 5]);
    expect(kept.map((s) => s.seq)).toEqual([1, 3, 4]);
    expect(kept[0].ev).not.toBe(events[1]);
    expect(kept[0].ev.text).toBe(events[1].text);
    expect(kept[0].d).toMatchObject({ errno: 111 });
  });

  it('keeps the texts of a kind up to its bound, and every line past it lean: the counts are the real totals', () => {
    // 12 refusals, 3 threads taking turns (each line its own attempt), read with a bound of 5 texts per kind
    const lines = Array.from({ length: 12 }, (_, i) => refused(i).replace('140536740562624', String(140536740562624 + (i % 3))));
    const { events, summary } = parseLogText(lines.join('\n'), { path: 'jk.log', tz: 'UTC' });
    const read = (maxPerKind?: number, maxLean?: number) => {
      const intake = new LogIntake(collectSignals(rules), maxPerKind, maxLean);
      for (const ev of events) intake.push(ev);
      return intake.finish([summary]);
    };
    const capped = read(5);
    const kept = capped.signals.get('jk-backend-connect-failed')!;
    expect(kept.length).toBe(12);
    // the first 5 with their text, and the last line of the kind (the most recent state)
    expect(kept.map((s) => s.ev.text !== '')).toEqual([true, true, true, true, true, false, false, false, false, false, false, true]);
    expect(kept[11].ev.text).toBe(events[11].text);
    // what the rules read of a lean line: when, where, who
    expect(kept[10].ev).toMatchObject({ path: 'jk.log', line: 11, pid: 20001, tid: '140536740562625', worker: 'node1', text: '' });
    expect(kept[10].ev.ts).toBe(events[10].ts);
    expect(kept[11].d).toEqual(kept[0].d);
    expect(capped.unread.size).toBe(0);

    const r = diagnose({ logs: capped, summaries: [summary] });
    const all = diagnose({ logs: read(), summaries: [summary] });
    expect(r.unread).toBeUndefined();
    const f = r.findings.find((x) => x.id === 'backend-down-or-wrong-port')!;
    expect(f.explanation).toMatch(/^12 connection attempts to .* were refused between 2026-11-21 08:00:00 and 08:00:11 UTC/);
    // the same explanations as with no bound; evidence: the lines kept with their text, the rest counted
    expect(r.findings.map((x) => x.explanation)).toEqual(all.findings.map((x) => x.explanation));
    expect(f.evidence.map((e) => (e.source === 'log' ? e.line : 0))).toEqual([1, 2, 3, 4, 5, 12]);
    expect(f.notes).toContain('6 more matching lines not shown');
    expect((all.findings.find((x) => x.id === 'backend-down-or-wrong-port')!.notes ?? []).some((n) => /not shown/.test(n))).toBe(false);
  });

  it('past the lean bound too, counts the rest as unread, and the engine reports them', () => {
    const { events } = parseLogText(Array.from({ length: 12 }, (_, i) => refused(i)).join('\n'), { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules), 5, 3);
    for (const ev of events) intake.push(ev);
    // (the lean bound is over all kinds: these lines are signals of more than one)
    expect(intake.leanSignals).toBe(3);
    const read = intake.signals.get('jk-backend-connect-failed')!.length;
    expect(read).toBeGreaterThan(5);
    expect(read).toBeLessThanOrEqual(8);
    expect(intake.unread.get('jk-backend-connect-failed')).toBe(12 - read);
    const r = diagnose({ logs: intake });
    expect(r.unread).toContainEqual({ kind: 'jk-backend-connect-failed', lines: 12 - read, kept: read });
    // the findings are those of the lines read, and the report itself says where their counts stop
    expect(r.findings.map((f) => f.id)).toContain('backend-down-or-wrong-port');
    const f = r.findings.find((x) => x.id === 'backend-down-or-wrong-port')!;
    expect(f.notes).toContain(`${12 - read} more lines matching jk-backend-connect-failed were not read (the first ${read} were): the counts above stop there`);
    // nothing of the kind when every line was read
    const all = new LogIntake(collectSignals(rules));
    for (const ev of events) all.push(ev);
    expect(diagnose({ logs: all }).findings.flatMap((x) => x.notes ?? []).filter((n) => /were not read/.test(n))).toEqual([]);
  });

  it('tells a lean line read twice from two files by its text', () => {
    const a = parseLogText([refused(1), refused(2), refused(3)].join('\n'), { path: 'a.log', tz: 'UTC' }).events;
    const b = parseLogText([refused(2), refused(3), refused(4)].join('\n'), { path: 'b.log', tz: 'UTC' }).events;
    for (const bound of [1, 100]) {
      const intake = new LogIntake(collectSignals(rules), bound);
      for (const ev of [a[0], a[1], b[0], a[2], b[1], b[2]]) intake.push(ev);
      const r = diagnose({ logs: intake });
      expect(r.findings.find((x) => x.id === 'backend-down-or-wrong-port')!.explanation, `bound ${bound}`).toMatch(/^4 connection attempts/);
    }
  });

  it('gives the same findings as the events given as an array', () => {
    const text = [debug, refused(1), refused(2), debug, refused(9), refused(30)].join('\n');
    const { events, summary } = parseLogText(text, { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules));
    for (const ev of events) intake.push(ev);
    const a = diagnose({ logs: intake.finish([summary]), summaries: [summary] });
    const b = diagnose({ events, summaries: [summary] });
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
    expect(a.findings.length).toBeGreaterThan(0);
  });
});
