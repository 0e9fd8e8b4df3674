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

  it('stops a kind at its bound, counts the rest, and the engine reports them', () => {
    const { events } = parseLogText(Array.from({ length: 12 }, (_, i) => refused(i)).join('\n'), { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules), 5);
    for (const ev of events) intake.push(ev);
    expect(intake.signals.get('jk-backend-connect-failed')!.length).toBe(5);
    expect(intake.unread.get('jk-backend-connect-failed')).toBe(7);
    const r = diagnose({ logs: intake });
    expect(r.unread).toContainEqual({ kind: 'jk-backend-connect-failed', lines: 7, kept: 5 });
    // the findings are those of the lines kept
    expect(r.findings.map((f) => f.id)).toContain('backend-down-or-wrong-port');
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
