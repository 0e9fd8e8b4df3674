/**
 * Signals as rows (rules/intake.ts LeanEvents, LeanSignal): what the rules read of a line, kept with
 * its text or without, is the line's own facts, read from the typed columns; and the engine's and the
 * helpers' merges in input order give what joining and sorting gave. Fed with the real httpd, mod_jk
 * and Tomcat logs of the bundled samples (samples/README.md: real runs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';
import { collectSignals, diagnose, LogIntake, merge, rules, type Signal } from '../../src/rules/index.js';
import { mergeLists } from '../../src/rules/helpers.js';
import { isLean, textHash } from '../../src/rules/rows.js';
import { workerIn } from '../../src/rules/signals.js';
import type { LogEvent } from '../../src/logs/types.js';

const SAMPLES = join(__dirname, '../../samples');
const LOGS = ['mod_jk.log', 'mod_jk-info.log', 'error_log', 'catalina.out', 'access_log'];
// and the excerpts of published logs (test/fixtures/logs/excerpts, each with its source): ISAPI, httpd 2.2, mod_jk 1.2.19–1.2.37, Tomcat
const EXCERPTS = join(__dirname, '../fixtures/logs/excerpts');
const sampleLogs = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => LOGS.map((f) => join(SAMPLES, d.name, f)))
  .concat(readdirSync(EXCERPTS).filter((f) => f.endsWith('.log')).map((f) => join(EXCERPTS, f)))
  .filter((p) => {
    try {
      return readFileSync(p, 'utf8').length > 0;
    } catch {
      return false;
    }
  });

function read(path: string, maxPerKind?: number, opts = {}): { intake: LogIntake; events: LogEvent[] } {
  const { events, summary } = parseLogText(readFileSync(path, 'utf8'), { path, tz: 'UTC' });
  const intake = new LogIntake(collectSignals(rules), maxPerKind, undefined, opts);
  for (const ev of events) intake.push(ev);
  intake.finish([summary]);
  return { intake, events };
}

describe('lean signals', () => {
  it('has the samples it reads', () => expect(sampleLogs.length).toBeGreaterThan(35));

  it('read from their columns, say what the line said: where, when, who, and the same data', () => {
    let checked = 0;
    for (const path of sampleLogs) {
      const all = read(path);
      const lean = read(path, 0, { oneSource: true });
      // a line is one event for all its kinds: it has its text when it is the last of one of them
      const lastOfAKind = new Set([...all.intake.signals.values()].filter((l) => l.length > 0).map((l) => l[l.length - 1].seq));
      for (const [kind, list] of all.intake.signals) {
        const leanList = lean.intake.signals.get(kind)!;
        expect(leanList.length, `${path} ${kind}`).toBe(list.length);
        list.forEach((sg, k) => {
          const l = leanList[k];
          const ev = all.events[sg.seq];
          expect(isLean(l.ev)).toBe(true);
          expect({ kind: l.kind, seq: l.seq, d: l.d, prevTs: l.prevTs }).toEqual({ kind: sg.kind, seq: sg.seq, d: sg.d, prevTs: sg.prevTs });
          expect({ path: l.ev.path, line: l.ev.line, ts: l.ev.ts, pid: l.ev.pid, tid: l.ev.tid, level: l.ev.level, dialect: l.ev.dialect, worker: l.ev.worker }).toEqual({
            path: ev.path,
            line: ev.line,
            ts: ev.ts,
            pid: ev.pid,
            tid: ev.tid,
            level: ev.level,
            dialect: sg.ev.dialect,
            worker: workerIn(ev),
          });
          // with its text within the kind's texts; past them, none but the last line of a kind
          expect(sg.ev.text).toBe(ev.text);
          expect(l.ev.text).toBe(lastOfAKind.has(sg.seq) ? ev.text : '');
          if (k === list.length - 1) expect(l.ev.text).not.toBe('');
          checked++;
        });
      }
      // one row per line: a line's kinds read the same one, and the line is matched once
      for (const x of [all, lean]) {
        const byLine = new Map<number, Signal>();
        const facts = (sg: Signal) => [sg.ev.path, sg.ev.line, sg.ev.ts, sg.ev.text, sg.ev.tid, sg.prevTs];
        for (const list of x.intake.signals.values())
          for (const sg of list) {
            const prev = byLine.get(sg.seq);
            if (prev !== undefined) expect(facts(sg)).toEqual(facts(prev));
            else byLine.set(sg.seq, sg);
          }
        expect(x.intake.matched).toBe(byLine.size);
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('of an ISAPI redirector log read as a stream are relabelled after the read, as lines kept with their text are', () => {
    // jk lines, then the first line that shows the ISAPI redirector (jk_isapi_plugin.c, a line of
    // src/logs/dialects/modjk.ts's catalogue): read as a stream, the lines before it came as modjk
    const refused = (s: number) =>
      `[Thu Mar 09 16:41:${String(s).padStart(2, '0')}.123 2023] [2188:4452] [error] ajp_send_request::jk_ajp_common.c (1724): (worker1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)`;
    const marker = '[Thu Mar 09 16:41:25.123 2023] [EXTENSION] [2188:4452] [error] HttpExtensionProc::jk_isapi_plugin.c (2337): service() failed with http error 503';
    const { events, summary } = parseLogText([1, 2, 3, 4, 5, 6].map(refused).concat(marker).join('\n'), { path: 'isapi_redirect.log', tz: 'UTC' });
    expect(summary.byDialect).toEqual({ isapi: 7 });
    for (const bound of [0, 2, 100]) {
      const intake = new LogIntake(collectSignals(rules), bound);
      for (const ev of events.slice(0, 6)) {
        ev.dialect = 'modjk';
        intake.push(ev);
      }
      intake.push(events[6]);
      // (none made before the read ends, with their text or not: the rows themselves are relabelled)
      expect(intake.signals.made('jk-backend-connect-failed')!.length).toBe(0);
      intake.finish([summary]);
      const list = intake.signals.get('jk-backend-connect-failed')!;
      expect(list.length).toBe(6);
      expect(list.map((sg) => sg.ev.dialect), `bound ${bound}`).toEqual(new Array(6).fill('isapi'));
      expect([...intake.dialects]).toEqual(['isapi']);
    }
  });

  it('share their data only when it is equal', () => {
    const lines = [
      '[Sat Nov 21 08:00:00.000 2026] [20000:140536740562624] [info] jk_open_socket::jk_connect.c (815): connect to 10.0.0.9:8009 failed (errno=111)',
      '[Sat Nov 21 08:00:00.000 2026] [20000:140536740562624] [info] ajp_connect_to_endpoint::jk_ajp_common.c (1064): (node1) Failed opening socket to (10.0.0.9:8009) (errno=111)',
      '[Sat Nov 21 08:00:00.100 2026] [20001:140536740562625] [info] jk_open_socket::jk_connect.c (815): connect to 10.0.0.9:8009 failed (errno=111)',
      '[Sat Nov 21 08:00:00.100 2026] [20001:140536740562625] [info] ajp_connect_to_endpoint::jk_ajp_common.c (1064): (node2) Failed opening socket to (10.0.0.9:8009) (errno=111)',
      '[Sat Nov 21 08:00:00.200 2026] [20002:140536740562626] [info] jk_open_socket::jk_connect.c (815): connect to 10.0.0.8:8009 failed (errno=113)',
    ];
    const { events } = parseLogText([...lines, ...lines].join('\n'), { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules), 0);
    for (const ev of events) intake.push(ev);
    const list = intake.signals.get('jk-connect-failed')!;
    expect(list.map((s) => s.d)).toEqual([
      { backend: '10.0.0.9:8009', errno: 111, worker: undefined },
      { backend: '10.0.0.9:8009', errno: 111, worker: 'node1' },
      { backend: '10.0.0.9:8009', errno: 111, worker: undefined },
      { backend: '10.0.0.9:8009', errno: 111, worker: 'node2' },
      { backend: '10.0.0.8:8009', errno: 113, worker: undefined },
      { backend: '10.0.0.9:8009', errno: 111, worker: undefined },
      { backend: '10.0.0.9:8009', errno: 111, worker: 'node1' },
      { backend: '10.0.0.9:8009', errno: 111, worker: undefined },
      { backend: '10.0.0.9:8009', errno: 111, worker: 'node2' },
      { backend: '10.0.0.8:8009', errno: 113, worker: undefined },
    ]);
    expect(list[2].d).toBe(list[0].d);
    expect(list[6].d).toBe(list[1].d);
    expect(list[3].d).not.toBe(list[1].d);
  });

  it('one input: no text hash, and a line read twice at the same path and line is still one', () => {
    const path = sampleLogs.find((p) => p.endsWith('backend-down/mod_jk.log'))!;
    const { events } = parseLogText(readFileSync(path, 'utf8'), { path, tz: 'UTC' });
    const once = new LogIntake(collectSignals(rules), 0, undefined, { oneSource: true });
    for (const ev of events) once.push(ev);
    const twice = new LogIntake(collectSignals(rules), 0, undefined, { oneSource: true });
    for (const ev of [...events, ...events]) twice.push(ev);
    const sg = [...once.signals.values()].find((l) => l.length > 0)![0].ev as LogEvent & { textHash?: number };
    expect(sg.textHash).toBeUndefined();
    const a = diagnose({ logs: once });
    const b = diagnose({ logs: twice });
    expect(b.matched).toBe(a.matched);
    expect(b.findings.map((f) => f.explanation)).toEqual(a.findings.map((f) => f.explanation));
    expect(a.findings.length).toBeGreaterThan(0);
  });

  it('lines read twice are dropped as they are read: no row, no signal, no bound spent', () => {
    // the samples' real logs, each read as two files: its first half at its own path, then the whole
    // log under another one (a debug and an info log of one run overlap so: its first half repeats
    // lines read before, its second half does not), then the first file given again at its own path
    let checked = 0;
    let droppedAll = 0;
    for (const path of sampleLogs) {
      const { events } = parseLogText(readFileSync(path, 'utf8'), { path, tz: 'UTC' });
      const half = Math.floor(events.length / 2);
      const copy = parseLogText(readFileSync(path, 'utf8'), { path: `${path}.copy`, tz: 'UTC' }).events;
      // (and the whole log at its own path, backwards: lines not in ascending order)
      const input = [...events.slice(0, half), ...copy, ...events.slice(0, half), ...events.slice().reverse()];
      // the oracle, from the rule's words: a line whose path and line were read before, or whose text
      // was first read in another file, is a repeat; the rest are what is kept
      const firstPath = new Map<string, string>();
      const seenAt = new Set<string>();
      const keep = new Set<number>();
      input.forEach((ev, seq) => {
        const at = `${ev.path}\0${ev.line}`;
        const p = firstPath.get(ev.text.trim());
        if (!seenAt.has(at) && (p === undefined || p === ev.path)) {
          keep.add(seq);
          if (p === undefined) firstPath.set(ev.text.trim(), ev.path);
        }
        seenAt.add(at);
      });
      for (const bound of [0, 2, 100]) {
        const intake = new LogIntake(collectSignals(rules), bound);
        // what each line matched, read as one file whose lines go up (no line can repeat there)
        const ref = new LogIntake(collectSignals(rules), bound);
        input.forEach((ev, seq) => {
          intake.push(ev);
          const [p, l] = [ev.path, ev.line];
          Object.assign(ev, { path: 'one.log', line: seq + 1 });
          ref.push(ev);
          Object.assign(ev, { path: p, line: l });
        });
        expect(ref.repeated).toBe(0);
        const kinds = [...ref.signals.keys()].filter((k) => ref.signals.count(k) > 0);
        for (const k of kinds) {
          const got = intake.signals.get(k)!;
          const want = ref.signals.get(k)!.map((s) => s.seq).filter((seq) => keep.has(seq));
          expect(got.map((s) => s.seq), `${path} ${k} ${bound}`).toEqual(want);
          expect(intake.signals.count(k)).toBe(got.length);
          expect(got.every((s) => s.ev.text === '' || s.ev.text === input[s.seq].text)).toBe(true);
          expect(got.every((s) => s.ev.path === input[s.seq].path && s.ev.line === input[s.seq].line)).toBe(true);
        }
        // the matched lines of the copy's first half and of the later readings, each counted once
        const matchedSeqs = new Set(kinds.flatMap((k) => ref.signals.get(k)!.map((s) => s.seq)));
        const dropped = [...matchedSeqs].filter((seq) => !keep.has(seq)).length;
        expect(intake.repeated, path).toBe(dropped);
        expect(intake.matched).toBe(matchedSeqs.size - dropped);
        expect(diagnose({ logs: intake }).matched).toBe(matchedSeqs.size - dropped);
        droppedAll += dropped;
        // the stamps of the lines left (clock alignment with a capture), read from the rows: those of the signals' lines, once each
        const byLine = new Map(kinds.flatMap((k) => intake.signals.get(k)!.map((s) => [s.seq, s.ev.ts] as const)));
        const times = [...byLine].sort((x, y) => x[0] - y[0]).flatMap(([, ts]) => (ts === undefined ? [] : [ts]));
        expect(intake.lineTimes(), path).toEqual(times);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(droppedAll).toBeGreaterThan(1000);
  });

  it('a line read twice spends none of the bounds: the second file of the same lines leaves the counts whole', () => {
    // mod_jk 1.2.48 jk_connect.c jk_open_socket(), as in samples/backend-down/mod_jk.log: 50 refused connects
    const lines = Array.from({ length: 50 }, (_, i) => `[Sat Nov 21 08:00:${String(i).padStart(2, '0')}.000 2026] [20000:140536740562624] [info] jk_open_socket::jk_connect.c (815): connect to 10.0.0.9:8009 failed (errno=111)`).join('\n');
    const info = parseLogText(lines, { path: 'mod_jk-info.log', tz: 'UTC' }).events;
    const debug = parseLogText(lines, { path: 'mod_jk-debug.log', tz: 'UTC' }).events;
    // 50 lines of two kinds (jk-connect-failed, refused-errno): 100 lean signals, the bound exactly
    const intake = new LogIntake(collectSignals(rules), 0, 100);
    info.forEach((ev, i) => (intake.push(ev), intake.push(debug[i])));
    expect(intake.repeated).toBe(50);
    expect(intake.unread.size).toBe(0);
    expect(intake.signals.count('jk-connect-failed')).toBe(50);
    expect(intake.signals.get('jk-connect-failed')!.every((s) => s.ev.path === 'mod_jk-info.log')).toBe(true);
  });

  it('the engine counts the distinct lines matched, with their text or not, as a set of their lines does', () => {
    for (const path of sampleLogs)
      for (const bound of [0, 1, 3]) {
        const { intake } = read(path, bound);
        const lines = new Set<number>();
        for (const list of intake.signals.values()) for (const sg of list) lines.add(sg.seq);
        expect(diagnose({ logs: intake }).matched, `${path} ${bound}`).toBe(lines.size);
      }
  });
});

/** helpers.ts merge as it was: the oracle. */
function mergeBySort(...lists: readonly (readonly Signal[])[]): Signal[] {
  const seen = new Set<Signal>();
  const out: Signal[] = [];
  for (const l of lists) for (const s of l) if (!seen.has(s)) (seen.add(s), out.push(s));
  return out.sort((a, b) => a.seq - b.seq);
}

describe('merge', () => {
  // a small generator of its own (no dependency): the same lists on every run
  let seed = 20261205;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const sg = (seq: number, kind: string): Signal => ({ kind, seq, d: {}, ev: { path: 'p', line: seq, text: '', message: '', dialect: 'modjk', fields: {} } });

  it('gives what joining, keeping first places and sorting gave, on 3,000 sets of lists', () => {
    for (let t = 0; t < 3000; t++) {
      const pool = Array.from({ length: 1 + rand(12) }, (_, i) => sg(rand(8), `k${i % 3}`));
      const sorted = t % 5 !== 0;
      // up to 11 lists: merged two at a time over several rounds, an odd one carried to the next
      const lists = Array.from({ length: 1 + rand(11) }, () => {
        const l = Array.from({ length: rand(7) }, () => pool[rand(pool.length)]);
        return sorted ? l.sort((a, b) => a.seq - b.seq) : l;
      });
      const got = merge(...lists);
      const want = mergeBySort(...lists);
      expect(got.length, `case ${t}`).toBe(want.length);
      got.forEach((s, i) => expect(s, `case ${t} item ${i}`).toBe(want[i]));
    }
  });

  it('takes a list per backend for 200,000 backends (a spread call threw "Maximum call stack size exceeded")', () => {
    const lists = Array.from({ length: 200_000 }, (_, i) => [sg(((i * 7919) % 200_000) * 2, 'k')]);
    const got = mergeLists(lists);
    expect(got).toHaveLength(200_000);
    for (let i = 1; i < got.length; i++) if (got[i]!.seq < got[i - 1]!.seq) expect.fail(`out of order at ${i}`);
  });
});

describe('SignalLists: lean signals made when their kind is asked for', () => {
  // mod_jk 1.2.48 jk_connect.c jk_open_socket() / jk_ajp_common.c ajp_send_request(), as in samples/backend-down/mod_jk.log
  const open = (s: number) => `[Sat Nov 21 08:00:${String(s).padStart(2, '0')}.000 2026] [20000:140536740562624] [info] jk_open_socket::jk_connect.c (815): connect to 10.0.0.9:8009 failed (errno=111)`;
  const send = (s: number) =>
    `[Sat Nov 21 08:00:${String(s).padStart(2, '0')}.001 2026] [20000:140536740562624] [error] ajp_send_request::jk_ajp_common.c (1724): (node1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)`;

  it('counts without making, makes once, and a line is one row for all its kinds', () => {
    const { events } = parseLogText(Array.from({ length: 6 }, (_, i) => [open(i), send(i)]).flat().join('\n'), { path: 'jk.log', tz: 'UTC' });
    const intake = new LogIntake(collectSignals(rules), 2);
    for (const ev of events) intake.push(ev);
    const lists = intake.signals;
    // jk-connect-failed: the 6 jk_open_socket lines; refused-errno: all 12
    expect(lists.count('jk-connect-failed')).toBe(6);
    expect(lists.count('refused-errno')).toBe(12);
    // nothing is an object before it is asked for, lines kept with their text included
    expect(lists.made('refused-errno')!.length).toBe(0);
    const a = lists.get('jk-connect-failed')!;
    expect(a.length).toBe(6);
    expect(lists.get('jk-connect-failed')).toBe(a);
    expect(lists.get('jk-connect-failed')![5]).toBe(a[5]);
    // refused-errno not asked for yet: still rows
    expect(lists.made('refused-errno')!.length).toBe(0);
    const b = lists.get('refused-errno')!;
    expect(b.map((s) => s.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // the same line's signals of the two kinds read one row; the first two kept their text
    a.forEach((s, i) => {
      const other = b.find((x) => x.seq === s.seq)!;
      expect([other.ev.line, other.ev.text, other.ev.ts]).toEqual([s.ev.line, s.ev.text, s.ev.ts]);
      expect(isLean(s.ev)).toBe(true);
      expect(s.ev.text).toBe(i < 2 ? open(i) : i === 5 ? open(5) : '');
    });
    expect(lists.count('refused-errno')).toBe(12);
  });

  it('a lean signal collects the texts after it (SignalDef.following) as one kept with its text does', () => {
    // Tomcat 9 StandardService: the failure line, then the exception printed on its own lines (as pasted)
    const lines = (n: number) => [
      `05-Dec-2026 10:00:0${n}.000 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector [Connector[AJP/1.3-800${n}]]`,
      '\torg.apache.catalina.LifecycleException: Protocol handler initialization failed',
      'Caused by: java.net.BindException: Address already in use',
    ];
    const text = [0, 1, 2, 3].flatMap(lines).join('\n');
    const read = (bound: number) => {
      const { events } = parseLogText(text, { path: 'catalina.out', tz: 'UTC' });
      const intake = new LogIntake(collectSignals(rules), bound);
      for (const ev of events) intake.push(ev);
      return intake.signals.get('tomcat-ajp-start-failed')!;
    };
    const lean = read(1);
    const kept = read(100);
    expect(lean.length).toBe(4);
    expect(isLean(lean[3].ev)).toBe(true);
    expect(lean.map((s) => s.next)).toEqual(kept.map((s) => s.next));
    // (Tomcat's reader joins an exception's lines to their event: the texts after are the next events)
    expect(isLean(lean[1].ev)).toBe(true);
    expect(lean[1].next!.length).toBe(2);
    expect(lean[1].next!.every((t) => t.includes('BindException'))).toBe(true);
  });
});

describe('LeanEvents columns', () => {
  it('keep any pid a line gave, none, and the text hash only when the run hashes', () => {
    const base = parseLogText(
      '[Sat Nov 21 08:00:00.037 2026] [20001:140536740562624] [error] ajp_send_request::jk_ajp_common.c (1724): (node1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
      { path: 'jk.log', tz: 'UTC' },
    ).events[0];
    const pids = [undefined, 0, 1, 20001, 2 ** 31 - 1, 2 ** 31, 2 ** 40, -1, -(2 ** 31), 1.5];
    for (const oneSource of [true, false]) {
      const intake = new LogIntake(collectSignals(rules), 0, undefined, { oneSource });
      // plain events with the line's fields and these pids, one line each
      pids.forEach((pid, k) => intake.push({ path: base.path, line: k + 1, text: base.text, message: base.message, dialect: base.dialect, fields: {}, ts: base.ts, level: base.level, tid: base.tid, pid }));
      const list = intake.signals.get('jk-backend-connect-failed')!;
      expect(list.map((s) => s.ev.pid)).toEqual(pids);
      const hashes = list.map((s) => (s.ev as LogEvent & { textHash?: number }).textHash);
      if (oneSource) expect(hashes.every((h) => h === undefined)).toBe(true);
      else expect(new Set(hashes)).toEqual(new Set([textHash(base.text.trim())]));
    }
  });
});
