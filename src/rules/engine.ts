/**
 * The diagnosis engine: classify every log event once against the signals all rules declare,
 * then let each rule look at its signals (and capture evidence) and conclude. The engine knows
 * nothing about any root cause: adding one is a rule file plus a line in `index.ts`.
 */
import type { LogDialect, LogEvent } from '../logs/types.js';
import type { KnownMessage } from '../logs/index.js';
import type { CaptureEvidence, ConfigEvidence, Evidence } from '../util/evidence.js';
import { emptyFacts } from '../config/types.js';
import { configQuotes } from './config-quotes.js';
import type { Finding, Severity } from './finding.js';
import type {
  DiagnoseInput,
  DiagnoseOptions,
  DiagnoseResult,
  FindingInput,
  NotEvaluated,
  Rule,
  RuleContext,
  Signal,
  SignalDef,
  SignalSource,
} from './types.js';
import { redact } from './redact.js';
import { wiresharkFilter } from '../util/evidence.js';
import { trieSource } from '../util/trie-regex.js';
import { LiteralScan } from '../util/literal-scan.js';
import { alignClocks, type ClockAlignment } from './clock.js';
import { LogIntake, type LogIntakeOptions } from './intake.js';
import { isLean } from './rows.js';
import { isDateMs } from '../util/clock.js';
import { append } from '../util/append.js';
import { inputSecrets } from '../util/secrets.js';
import { FindingBudget, rankOf } from './finding-budget.js';
import { mergeTwo, portOf } from './helpers.js';
import { grown } from '../util/grown.js';

// At most MAX_FINDINGS_PER_RULE findings of one rule (rules/finding-budget.ts). A real setup has a
// handful of connectors, workers and balancers; a generated or damaged configuration of 200,000
// Connectors gave one finding each, and the causal ordering of findings is quadratic in their
// number (10 s for 20,000).
export { MAX_FINDINGS_PER_RULE } from './finding-budget.js';

/**
 * At most this many known messages (signal kinds, however often each is repeated) make a paste "a
 * few lines", read by the rules' readings: the same three-line group pasted twice (a reset, then
 * the same reset two minutes later) says no more than once, and had no reading.
 */
const LONE_LINES = 3;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const CONFIDENCE_ORDER = { confirmed: 0, likely: 1, possible: 2 } as const;

/** Fragments (text of no known layout) can hold any program's message: they count for every source. */
const SOURCE_DIALECTS: Record<SignalSource, readonly LogDialect[]> = {
  jk: ['modjk', 'isapi', 'fragment'],
  httpd: ['httpd', 'fragment'],
  tomcat: ['tomcat', 'fragment'],
  access: ['access', 'jk-request'],
};

const SOURCE_LABEL: Record<SignalSource, string> = {
  jk: 'a mod_jk / ISAPI redirector log',
  httpd: 'an httpd error_log',
  tomcat: 'a Tomcat log (catalina.out)',
  access: 'an access log (httpd, Tomcat AccessLogValve) or JkRequestLog',
};

/**
 * A test for "this text names a message some rule knows" (any needle of any signal occurs in it),
 * for the log reader to keep only such fragments. Compiled once per rule list.
 */
export function mentionsKnownMessage(rules: readonly Rule[]): KnownMessage {
  const needles = [...new Set(collectSignals(rules).flatMap((d) => d.needles))].sort((a, b) => b.length - a.length);
  if (!needles.length) return Object.assign(() => false, { firstLook: () => false });
  const lower = [...new Set(needles.map((n) => n.toLowerCase()))];
  const any = new RegExp(trieSource(lower), 'i');
  // (the regex only where the first look finds a needle may be: most unrecognised lines hold none)
  const scan = LiteralScan.of(lower);
  return Object.assign((text: string): boolean => scan.mayOccur(text) && any.test(text), {
    firstLook: (bytes: Uint8Array, from: number, to: number): boolean => scan.mayOccurBytes(bytes, from, to),
  });
}

/** The union of signal definitions of the given rules, one per kind. */
export function collectSignals(rules: readonly Rule[]): SignalDef[] {
  const byKind = new Map<string, SignalDef>();
  for (const r of rules)
    for (const s of [...r.needs.logs, ...(r.readings ?? []).flatMap((x) => [x.signal, ...(x.unless ?? [])])]) {
      const prev = byKind.get(s.kind);
      if (prev && prev !== s) throw new Error(`signal kind ${s.kind} is defined twice (rule ${r.id})`);
      byKind.set(s.kind, s);
    }
  return [...byKind.values()];
}

/** Classifies events (an array in memory): kind → signals in input order (see LogIntake). */
export function classify(events: readonly LogEvent[], defs: readonly SignalDef[]): Map<string, Signal[]> {
  const intake = new LogIntake(defs);
  for (const ev of events) intake.push(ev);
  return intake.signals;
}

/** The intake for a run of these rules (`only`: their ids): push each log event as it is read, then pass it as `DiagnoseInput.logs`. */
export function logIntake(rules: readonly Rule[], only?: readonly string[], opts: LogIntakeOptions = {}): LogIntake {
  return new LogIntake(collectSignals(only ? rules.filter((r) => only.includes(r.id)) : rules), undefined, undefined, opts);
}

function tsString(ts: number | undefined): string | undefined {
  if (ts === undefined || !isDateMs(ts)) return undefined;
  return new Date(ts).toISOString();
}

type RuleEvidence = Signal | CaptureEvidence | ConfigEvidence;

/**
 * An evidence line is quoted up to this many characters. A log line of mod_jk or httpd is far shorter
 * (httpd's error log line buffer is 8 KiB); a configuration value can be anything: balance_workers
 * and worker.list are list properties whose repeated lines mod_jk joins (jk_map.c), and a file of
 * 1,200 such lines made one value of 6 MB, quoted by every finding about it (fuzz log:26006).
 */
export const MAX_EVIDENCE_TEXT = 4096;

/** Redacted, then cut (the values seen in the inputs scrubbed before the cut: util/secrets.ts `cut`). */
const quoted = (text: string): string => inputSecrets.cut(redact(text), MAX_EVIDENCE_TEXT);

function evidenceOf(it: RuleEvidence): Evidence {
  if ('source' in it && it.source === 'capture') return { ...it, filter: wiresharkFilter(it.frames) };
  if ('source' in it && it.source === 'config') return { ...it, text: quoted(it.text) };
  const s = it as Signal;
  const ev: Evidence = { source: 'log', path: s.ev.path, line: s.ev.line, text: quoted(s.ev.text) };
  const ts = tsString(s.ev.ts);
  if (ts) ev.ts = ts;
  return ev;
}

/** Capture and configuration items' identity (log lines are told by their seq: toEvidence). */
function evidenceKey(it: CaptureEvidence | ConfigEvidence): string {
  return it.source === 'capture' ? `c|${it.stream}|${it.frames.join(',')}|${it.kind}` : `f|${it.path}|${it.line}|${it.text}`;
}

/**
 * Report evidence in input order, without duplicates; when too many, the first ones and the last one
 * (the most recent state). Past the first `keepLogs` log lines, a line is only counted (`elided`) but
 * the last one, which keeps its place among the other items: capEvidence shows at most the first
 * `maxEvidence` - 1 log lines and the last one, and an outage log gives a finding hundreds of
 * thousands of lines, each made into report evidence (its text redacted and cut, its time written)
 * only to be dropped: a 1M-line outage log (every line a refused connect) spent ~1 CPU-s and the
 * memory of all of them at once there.
 */
function toEvidence(items: readonly RuleEvidence[], max: number, keepLogs = Infinity): { evidence: Evidence[]; lean: number; elided: number } {
  const seen = new Set<string>();
  // Log lines by their position in the input (seq): one per path and line among the signals
  // (LogIntake.isRepeat), a bit each, and no string made per line (an outage's finding has hundreds of
  // thousands).
  const seenLines = new SeqSet();
  const kept: RuleEvidence[] = [];
  let last: RuleEvidence | undefined;
  // lines kept without their text (past a kind's kept texts, intake.ts): counted, never listed
  let lean = 0;
  let logs = 0;
  // The last log line past keepLogs, and where it stands among the items kept.
  let lastLog: RuleEvidence | undefined;
  let lastLogAt = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if ('ev' in it) {
      if (!seenLines.add(it.seq)) continue;
      // a line kept without its text (but the last of its kind: LeanEvents.lastOf) is only counted
      if (isLean(it.ev) && it.ev.text === '') {
        lean++;
        continue;
      }
    } else {
      const k = evidenceKey(it);
      if (seen.has(k)) continue;
      seen.add(k);
    }
    if ('ev' in it && ++logs > keepLogs) {
      lastLog = it;
      lastLogAt = kept.length;
      continue;
    }
    if (kept.length < max - 1) kept.push(it);
    else last = it;
  }
  if (last) kept.push(last);
  if (lastLog !== undefined) kept.splice(lastLogAt, 0, lastLog);
  // Past keepLogs every log line is only counted, but the last one.
  return { evidence: kept.map(evidenceOf), lean, elided: Math.max(0, logs - keepLogs - 1) };
}

/**
 * Several kinds' signals in input order (by seq, a line's kinds by name): each list is in input order
 * already, merged two at a time (sorting the joined lists cost ~0.3 s on an outage log).
 */
function inputOrder(lists: readonly (readonly Signal[])[]): readonly Signal[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  // (a new list unless one was asked for: as the sorted join was, never one of the intake's own)
  if (nonEmpty.length === 0) return lists.length === 1 ? lists[0] : [];
  if (nonEmpty.length === 1) return lists.length === 1 ? nonEmpty[0] : [...nonEmpty[0]];
  // (mergeTwo makes a new list: the first one is read, not copied)
  let out: readonly Signal[] = nonEmpty[0];
  // a line's kinds by name: `b`'s goes first at an equal seq when its kind is not after `a`'s
  for (let k = 1; k < nonEmpty.length; k++) out = mergeTwo(out, nonEmpty[k], (y, x) => y.seq < x.seq || (y.seq === x.seq && y.kind <= x.kind));
  return out;
}

/** Numbers from 0 up (the seq of log lines), a bit each. */
class SeqSet {
  private bits = new Uint32Array(64);
  /** Adds `n`: false when it was there already. */
  add(n: number): boolean {
    const w = n >>> 5;
    if (w >= this.bits.length) this.bits = grown(this.bits, Math.max(w + 1, this.bits.length * 2));
    const b = 1 << (n & 31);
    if ((this.bits[w] & b) !== 0) return false;
    this.bits[w] |= b;
    return true;
  }
}

function detectJkVersion(intake: LogIntake, signals: Map<string, Signal[]>): string | undefined {
  const v = signals.get('jk-version');
  if (v && v.length) return String(v[v.length - 1].d.version);
  return intake.version;
}

/**
 * The order of root causes: those at warning or above first; among them what the incident shows (a
 * log line, a capture item) before what only the configuration says, whatever their severities (the
 * user asks why requests fail: a Ghostcat exposure in the server.xml a paste quotes is true of that
 * file, and the refused connects of the log are why this incident happened), unless the incident
 * confirmed the configuration's finding (`tied`: Rule.confirmedByIncident); then severity,
 * confidence, id.
 */
function rankBy(tied: ReadonlySet<Finding>): (a: Finding, b: Finding) => number {
  const configOnly = (f: Finding): number => (!tied.has(f) && f.evidence.length > 0 && f.evidence.every((e) => e.source === 'config') ? 1 : 0);
  return (a, b) =>
    (a.severity === 'info' ? 1 : 0) - (b.severity === 'info' ? 1 : 0) ||
    configOnly(a) - configOnly(b) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    CONFIDENCE_ORDER[a.confidence] - CONFIDENCE_ORDER[b.confidence] ||
    a.id.localeCompare(b.id);
}

/** Evaluates every rule over the input and returns findings, most severe first. */
export function runRules(rules: readonly Rule[], input: DiagnoseInput, opts: DiagnoseOptions = {}): DiagnoseResult {
  const maxEvidence = opts.maxEvidence ?? 12;
  const selected = opts.only ? rules.filter((r) => opts.only!.includes(r.id)) : rules;
  let intake = input.logs;
  if (intake === undefined) {
    const events = input.events ?? [];
    // No log events (a capture alone): nothing to classify, so no signal definitions, whose needle
    // expression and scanner the intake builds at once (~5 % of a small capture's run, issue 14).
    // Every kind's list is then absent instead of empty, which every reader below takes as empty.
    intake = new LogIntake(events.length > 0 ? collectSignals(selected) : []);
    for (const ev of events) intake.push(ev);
  }
  const log = intake;
  // (the same line read twice, from two files or one given twice, was dropped as read: LogIntake.isRepeat)
  const signals = intake.signals;
  // the distinct lines of the signals, counted by the intake (a Set of them cost ~0.2 s on an outage log of a million)
  const matched = intake.matched;
  const capture = input.capture ?? [];
  const captureByKind = new Map<string, CaptureEvidence[]>();
  for (const c of capture) {
    let arr = captureByKind.get(c.kind);
    if (!arr) captureByKind.set(c.kind, (arr = []));
    arr.push(c);
  }
  let dialects = intake.dialects;
  let jkDebug = intake.jkDebug;
  const summaries = input.summaries ?? [];
  // Summaries (one per file) count dialects and levels of the whole files (a file's ISAPI label included).
  const covered = summaries.length > 0 && summaries.reduce((n, s) => n + Object.values(s.byDialect).reduce((a, b) => a + (b ?? 0), 0), 0) === intake.count;
  if (covered) {
    dialects = new Set();
    jkDebug = false;
    for (const s of summaries) {
      for (const [k, n] of Object.entries(s.byDialect)) if (n) dialects.add(k as LogDialect);
      if ((s.byDialect.modjk || s.byDialect.isapi) && (s.levels.debug || s.levels.trace)) jkDebug = true;
    }
  }
  const jkVersion = detectJkVersion(intake, signals);
  const config = input.config ?? emptyFacts();
  const configKinds = new Set(config.files.map((f) => f.kind));
  const clock = alignInputs(intake, capture, summaries, input.captureSpan);
  // the log times behind each finding (all of them, before evidence is capped), for scoping its capture evidence
  const logTimes = new Map<Finding, number[]>();
  /** Evidence lines of a finding kept without their text (intake.ts lean signals): counted, not listed. */
  const unlisted = new Map<Finding, number>();
  /** Log lines toEvidence only counted, per finding (capEvidence counts them among the dropped). */
  const elidedLogs = new Map<Finding, number>();
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const contexts = new Map<Rule, RuleContext>();
  const budgets = new Map<Rule, FindingBudget>();
  // what each finding explains: its rule's `explains` and the instance's own
  const declared = new Map<Finding, ReadonlySet<string>>();

  for (const rule of selected) {
    const sources = new Set(rule.needs.logs.map((s) => s.source));
    // A message the rule knows counts wherever it was read (a Tomcat message in a line another
    // layout claimed): the sources only decide what "Not evaluated" asks for.
    const haveLog =
      [...sources].some((src) => SOURCE_DIALECTS[src].some((d) => dialects.has(d))) ||
      [...rule.needs.logs, ...(rule.readings ?? []).map((x) => x.signal)].some((sd) => signals.count(sd.kind) > 0);
    const haveCapture = (rule.needs.capture ?? []).some((k) => captureByKind.has(k)) || (capture.length > 0 && (rule.needs.capture?.length ?? 0) > 0);
    const haveConfig = (rule.needs.config ?? []).some((k) => configKinds.has(k));
    if (!haveLog && !haveCapture && !haveConfig) {
      const wants = [...sources].map((s) => SOURCE_LABEL[s]);
      if (rule.needs.capture?.length) wants.push('a capture');
      // One wording for every configuration check, so the text report lists them on one line.
      if (rule.needs.config?.length) wants.push('the configuration (workers.properties, httpd conf, server.xml …)');
      notEvaluated.push({ id: rule.id, reason: `needs ${wants.join(' or ')}` });
      continue;
    }
    const budget = new FindingBudget(rule.id, rule.title);
    // Kinds this rule reads whose lines went past all the signals kept (intake.ts MAX_LEAN_SIGNALS):
    // each of its findings says its counts stop there, in the report itself, not only on stderr.
    const cut = log.unread.size === 0 ? [] : [...new Set([...rule.needs.logs, ...(rule.readings ?? []).map((x) => x.signal)].map((d) => d.kind))].filter((k) => log.unread.has(k));
    budgets.set(rule, budget);
    const ctx: RuleContext = {
      run: intake,
      lastTs: (path) => (summaries.length ? summaries.find((s) => s.path === path)?.lastTs : log.lastTs(path)),
      lastActiveTs: (path) => log.lastActiveTs(path),
      summaries,
      dialects,
      jkDebug,
      jkVersion,
      signals: (k) => signals.get(typeof k === 'string' ? k : k.kind) ?? [],
      signalsOf: (...ks) => inputOrder(ks.map((k) => signals.get(typeof k === 'string' ? k : k.kind) ?? [])),
      capture: (k) => captureByKind.get(k) ?? [],
      config,
      clockOffsetMs: clock?.applied ? clock.offsetMs : 0,
      finding: (fi: FindingInput): Finding => {
        const rank = rankOf(fi.severity ?? rule.severity, fi.confidence);
        if (!budget.admits(rank)) return budget.placeholder;
        return make(fi, rank);
      },
      findingIf: (head, build): Finding => {
        const rank = rankOf(head.severity ?? rule.severity, head.confidence);
        if (!budget.admits(rank)) return budget.placeholder;
        return make({ ...build(), ...head }, rank);
      },
    };
    /** A finding the budget admitted, built. */
    const make = (fi: FindingInput, rank: number): Finding => {
      // The configuration lines the finding concerns (Rule.concerns), after its own evidence.
      const quotes = rule.concerns?.length ? configQuotes(config, rule.concerns, fi.subject) : [];
      // every item for now: capture evidence is scoped to its log lines first, then capped (capEvidence)
      const { evidence, lean, elided } = toEvidence(fi.evidence, Infinity, maxEvidence);
      // The quotes are never cut by the cap on log lines (they are few: config-quotes.ts caps them).
      if (quotes.length) {
        const have = new Set(evidence.map((e) => (e.source === 'capture' ? '' : `${e.path}|${e.line}|${e.text}`)));
        for (const q of toEvidence(quotes, quotes.length).evidence) if (q.source === 'config' && !have.has(`${q.path}|${q.line}|${q.text}`)) evidence.push(q);
      }
      const notes = [...(fi.notes ?? [])];
      for (const k of cut) notes.push(`${log.unread.get(k)} more lines matching ${k} were not read (the first ${log.signals.count(k)} were): the counts above stop there`);
      const f: Finding = {
        id: rule.id,
        title: rule.title,
        severity: fi.severity ?? rule.severity,
        confidence: fi.confidence,
        // explanations quote line content (header names, attributes): redact them like the evidence
        explanation: redact(fi.explanation),
        remedy: [...(fi.remedy ?? []), ...onPort(rule.docs.remedy, ajpPortOf(fi.subject, evidence))].join('\n'),
        evidence,
        references: [...rule.docs.references],
      };
      if (notes.length) f.notes = notes;
      if (fi.subject && Object.keys(fi.subject).length) f.subject = Object.fromEntries(Object.entries(fi.subject).map(([k, v]) => [k, redact(v)]));
      // (only with a capture: they scope its evidence; numbers pushed one by one stay unboxed)
      if (clock !== undefined) {
        const times: number[] = [];
        for (const it of fi.evidence) {
          const t = 'ev' in it ? it.ev.ts : undefined;
          if (t !== undefined) times.push(t);
        }
        if (times.length) logTimes.set(f, times);
      }
      if (lean > 0) unlisted.set(f, lean);
      if (elided > 0) elidedLogs.set(f, elided);
      const explains = [...(rule.explains ?? []), ...(fi.explains ?? [])];
      if (explains.length) declared.set(f, new Set(explains));
      budget.keep(f, rank);
      return f;
    };
    contexts.set(rule, ctx);
    let out: Finding[];
    try {
      out = rule.check(ctx);
    } catch (err) {
      // A bug in one rule must not hide the others' findings.
      notEvaluated.push({ id: rule.id, reason: `rule failed: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    append(findings, budget.select(out));
  }
  // Lone lines: only for a paste of a few known lines, and when nothing else reached a warning (a
  // log with more to go on is read by the checks above, which found nothing to say).
  if (signals.kindsSeen() <= LONE_LINES && !findings.some((f) => f.severity !== 'info')) {
    for (const [rule, ctx] of contexts) {
      for (const reading of rule.readings ?? []) {
        const hits = ctx.signals(reading.signal).filter((sg) => reading.when === undefined || reading.when(sg.d));
        if (!hits.length || findings.some((f) => f.id === rule.id)) continue;
        if (reading.unless?.some((u) => ctx.signals(u).length > 0)) continue;
        const f = ctx.finding({ confidence: 'possible', severity: reading.severity ?? 'warning', explanation: reading.explanation, evidence: hits, notes: [`To confirm: ${reading.confirm}`] });
        if (f !== budgets.get(rule)?.placeholder) findings.push(f);
      }
    }
  }
  // A configuration check whose incident the logs or the capture show is confirmed (Rule.confirmedByIncident).
  const tied = new Set<Finding>();
  for (const rule of selected) {
    if (!rule.confirmedByIncident?.length) continue;
    const by = findings.find((f) => rule.confirmedByIncident!.includes(f.id));
    if (by === undefined) continue;
    for (const f of findings) {
      if (f.id !== rule.id) continue;
      f.confidence = 'confirmed';
      tied.add(f);
      if (f.severity === 'info') f.severity = 'warning';
      f.notes = [...(f.notes ?? []), `Confirmed by the incident: ${by.id} (${by.title}).`];
    }
  }
  if (clock !== undefined) scopeCaptureEvidence(findings, logTimes, clock);
  confirmByCapture(findings, selected);
  for (const f of findings) capEvidence(f, maxEvidence, unlisted.get(f) ?? 0, elidedLogs.get(f) ?? 0);
  const result: DiagnoseResult = { findings: causalOrder(findings, selected, declared, tied), notEvaluated, matched };
  if (clock !== undefined) result.clock = clock;
  if (intake.unread.size) result.unread = [...intake.unread].map(([kind, lines]) => ({ kind, lines, kept: intake!.signals.count(kind) }));
  return result;
}

/**
 * What confidence means (issue 11): `confirmed` = the wire shows the mechanism, `likely` = a log shows
 * it directly, `possible` = consistent but other causes fit. A `likely` finding that keeps capture
 * evidence of a kind its rule declares in `confirmedBy` (the wire shows that very mechanism) after
 * scoping is confirmed, and says so; a `possible` one stays possible (the rule judged the wire
 * ambiguous, e.g. refusals without the stop before them).
 */
function confirmByCapture(findings: readonly Finding[], rules: readonly Rule[]): void {
  const kinds = new Map(rules.map((r) => [r.id, new Set(r.confirmedBy ?? [])]));
  for (const f of findings) {
    if (f.confidence !== 'likely') continue;
    const shown = f.evidence.filter((e): e is CaptureEvidence => e.source === 'capture' && kinds.get(f.id)?.has(e.kind) === true);
    if (!shown.length) continue;
    f.confidence = 'confirmed';
    const frames = [...new Set(shown.flatMap((e) => e.frames))].sort((a, b) => a - b);
    f.notes = [...(f.notes ?? []), `Confirmed by the capture: the wire shows it (${frames.length === 1 ? 'frame' : 'frames'} ${frames.slice(0, 6).join(', ')}${frames.length > 6 ? ' …' : ''}).`];
  }
}

/**
 * At most `max` evidence items: the first log lines and the last one (the most recent state), and a
 * share of the capture items (at least a third of the room when there are both), in input order.
 */
function capEvidence(f: Finding, max: number, unlisted: number, elided: number): void {
  const logs = f.evidence.filter((e) => e.source === 'log');
  const caps = f.evidence.filter((e) => e.source === 'capture');
  // The log lines toEvidence only counted are among the ones dropped here (it kept the first `max` and the last).
  const nLogs = logs.length + elided;
  if (nLogs + caps.length <= max) {
    if (unlisted > 0) f.notes = [...(f.notes ?? []), `${unlisted} more matching lines not shown`];
    return;
  }
  const capRoom = Math.min(caps.length, Math.max(Math.ceil(max / 3), max - nLogs));
  const logRoom = Math.min(nLogs, max - capRoom);
  const keptLogs = nLogs > logRoom ? [...logs.slice(0, Math.max(0, logRoom - 1)), ...(logRoom > 0 ? [logs[logs.length - 1]] : [])] : logs;
  const keptCaps = caps.length > capRoom ? [...caps.slice(0, Math.max(0, capRoom - 1)), ...(capRoom > 0 ? [caps[caps.length - 1]] : [])] : caps;
  const keep = new Set<Evidence>([...keptLogs, ...keptCaps]);
  const omitted = nLogs + caps.length - keep.size + unlisted;
  const linesOut = nLogs > logRoom || unlisted > 0;
  f.evidence = f.evidence.filter((e) => keep.has(e) || (e.source !== 'log' && e.source !== 'capture'));
  if (omitted > 0) f.notes = [...(f.notes ?? []), `${omitted} more matching ${linesOut && caps.length > capRoom ? 'lines and capture items' : linesOut ? 'lines' : 'capture items'} not shown`];
}

/**
 * The AJP port a finding is about, when it names one other than the default: its subject's backend
 * or container (host:port), else the one container of its capture evidence. Its rule's generic
 * remedy says 8009 (`ss -ltnp | grep 8009`, `nc -vz <host> 8009`); a user whose connector listens on
 * 18009 must be told 18009.
 */
function ajpPortOf(subject: Record<string, string> | undefined, evidence: readonly Evidence[]): string | undefined {
  const named = portOf(subject?.backend ?? subject?.container);
  if (named !== undefined) return named === '8009' ? undefined : named;
  const ports = new Set<string>();
  for (const e of evidence) {
    if (e.source !== 'capture') continue;
    const p = portOf(typeof e.fields?.container === 'string' ? e.fields.container : undefined);
    if (p !== undefined) ports.add(p);
  }
  const [only] = ports;
  return ports.size === 1 && only !== '8009' ? only : undefined;
}

/** Remedy lines with the default AJP port as the port seen (ajpPortOf). */
function onPort(lines: readonly string[], port: string | undefined): readonly string[] {
  return port === undefined ? lines : lines.map((l) => l.replace(/\b8009\b/g, port));
}

/** The clock alignment of the matched log lines and the capture evidence, when both were given. */
function alignInputs(intake: LogIntake, capture: readonly CaptureEvidence[], summaries: DiagnoseInput['summaries'], captureSpan: DiagnoseInput['captureSpan']): ClockAlignment | undefined {
  if (!capture.length) return undefined;
  // a line once, whatever its kinds (its row: no signal made, a million-line log with a capture made them all)
  const logTimes = intake.lineTimes();
  if (!logTimes.length) return undefined;
  let logSpan: { from: number; to: number } | undefined;
  for (const s of summaries ?? [])
    if (s.firstTs !== undefined && s.lastTs !== undefined)
      logSpan = logSpan === undefined ? { from: s.firstTs, to: s.lastTs } : { from: Math.min(logSpan.from, s.firstTs), to: Math.max(logSpan.to, s.lastTs) };
  return alignClocks(logTimes, capture.map((c) => c.ts * 1000), logSpan, captureSpan);
}

/**
 * Capture evidence belongs to the finding whose log lines it happened with: a finding built from log
 * lines keeps only the capture items within a few seconds of one of them (on the aligned clocks), and
 * an item several findings of one rule claim (two workers' secret mismatches) stays with the nearest.
 * Items left out are counted in a note. Without an applicable offset and without overlap, none is kept.
 */
function scopeCaptureEvidence(findings: readonly Finding[], logTimes: Map<Finding, number[]>, clock: ClockAlignment): void {
  const window = clock.applied ? Math.max(1000, 3 * clock.uncertaintyMs) : clock.warnings.some((w) => w.includes('do not overlap')) ? -1 : 5000;
  const key = (e: CaptureEvidence) => `${e.stream}|${e.frames.join(',')}|${e.kind}`;
  // sorted once, searched by bisection: a finding may carry thousands of lines and a capture thousands of items
  for (const times of logTimes.values()) times.sort((a, b) => a - b);
  const distance = (f: Finding, e: CaptureEvidence): number => {
    const t = e.ts * 1000 - clock.offsetMs;
    const times = logTimes.get(f) ?? [];
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    const after = lo < times.length ? times[lo] - t : Infinity;
    const before = lo > 0 ? t - times[lo - 1] : Infinity;
    return Math.min(after, before);
  };
  // nearest claimant per item and rule
  const owner = new Map<string, { f: Finding; d: number }>();
  for (const f of findings) {
    if (!logTimes.has(f)) continue;
    for (const e of f.evidence) {
      if (e.source !== 'capture') continue;
      const k = `${f.id}|${key(e)}`;
      const d = distance(f, e);
      const cur = owner.get(k);
      if (cur === undefined || d < cur.d) owner.set(k, { f, d });
    }
  }
  for (const f of findings) {
    if (!logTimes.has(f)) continue;
    let dropped = 0;
    f.evidence = f.evidence.filter((e) => {
      if (e.source !== 'capture') return true;
      const keep = owner.get(`${f.id}|${key(e)}`)?.f === f && distance(f, e) <= window;
      if (!keep) dropped++;
      return keep;
    });
    if (dropped) f.notes = [...(f.notes ?? []), `${dropped} capture item${dropped > 1 ? 's' : ''} of the same kind left out: not at the time of these log lines (another worker, web server or incident)`];
  }
}

/** True when no subject key the two findings share has different values. */
function sameSubject(a: Finding, b: Finding): boolean {
  if (!a.subject || !b.subject) return true;
  for (const [k, v] of Object.entries(a.subject)) if (b.subject[k] !== undefined && b.subject[k] !== v) return false;
  return true;
}

/**
 * Links findings into causes and their consequences and orders them: each root cause (most severe,
 * most certain first), then depth first what it explains. A finding is explained by the best-ranked
 * finding that declares its id (rule `explains`, or the instance's) about the same subject; a
 * `consequence` rule's finding (an lb without a usable member) that no such cause claims is put under
 * the top root cause at warning or above and drops to info. Severity ranks siblings, never a
 * consequence above its cause.
 */
function causalOrder(findings: Finding[], rules: readonly Rule[], declared: Map<Finding, ReadonlySet<string>>, tied: ReadonlySet<Finding>): Finding[] {
  const byRank = rankBy(tied);
  const consequenceIds = new Set(rules.filter((r) => r.consequence).map((r) => r.id));
  const parent = new Map<Finding, Finding>();
  const ancestors = (f: Finding): Finding[] => {
    const out: Finding[] = [];
    for (let p = parent.get(f); p !== undefined && !out.includes(p); p = parent.get(p)) out.push(p);
    return out;
  };
  const ranked = [...findings].sort(byRank);
  for (const effect of ranked) {
    const cause = ranked.find((c) => c !== effect && declared.get(c)?.has(effect.id) === true && sameSubject(c, effect) && !ancestors(c).includes(effect));
    if (cause !== undefined) parent.set(effect, cause);
  }
  const top = ranked.find((f) => !consequenceIds.has(f.id) && f.severity !== 'info' && !parent.has(f));
  if (top !== undefined)
    for (const f of ranked) {
      if (!consequenceIds.has(f.id) || parent.has(f) || f.severity === 'info') continue;
      parent.set(f, top);
      // an lb without a usable member is what the cause leads to, not a problem of its own
      f.severity = 'info';
    }
  const children = new Map<Finding, Finding[]>();
  for (const f of ranked) {
    const p = parent.get(f);
    if (p === undefined) continue;
    f.causedBy = p.id;
    f.notes = [...(f.notes ?? []), `A consequence of ${p.id} (listed above), not a cause of its own.`];
    const arr = children.get(p) ?? [];
    arr.push(f);
    children.set(p, arr);
  }
  const out: Finding[] = [];
  const visit = (f: Finding): void => {
    out.push(f);
    const kids = (children.get(f) ?? []).sort(byRank);
    if (kids.length) f.explains = [...new Set(kids.map((k) => k.id))];
    kids.forEach(visit);
  };
  ranked.filter((f) => !parent.has(f)).forEach(visit);
  return out;

}
