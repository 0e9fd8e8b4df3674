import type { LogDialect, LogEvent } from '../logs/types.js';
import type { CaptureEvidence, ConfigEvidence } from '../util/evidence.js';
import type { ConfigFacts, ConfigKind } from '../config/index.js';
import type { Confidence, Finding, Severity } from './finding.js';

// The signal shapes live in signal-types.ts, which rules/intake.ts imports without this file (no circle).
import type { Signal, SignalData, SignalDef, SignalSource } from './signal-types.js';
export type { Signal, SignalData, SignalDef, SignalSource };

export interface RuleDocs {
  /** One or two sentences: what goes wrong. */
  summary: string;
  /** Exact directives (workers.properties / server.xml / httpd), with the versions that matter. */
  remedy: readonly string[];
  references: readonly string[];
  falsePositives?: readonly string[];
}

export interface RuleNeeds {
  /** Log signals the rule reads. */
  logs: readonly SignalDef[];
  /** Capture evidence kinds (CaptureEvidence.kind) the rule can also use. */
  capture?: readonly string[];
  /** What debug-level lines would add; used for the "raise JkLogLevel to debug" note. */
  debug?: string;
  /** Configuration kinds the rule reads (config/ facts); the rule runs when one of them is given. */
  config?: readonly ConfigKind[];
}

export interface FindingInput {
  confidence: Confidence;
  explanation: string;
  /** Signals, capture evidence, or both; the engine turns them into report evidence (capped, redacted). */
  evidence: readonly (Signal | CaptureEvidence | ConfigEvidence)[];
  subject?: Record<string, string>;
  notes?: string[];
  /** Overrides the rule's default severity for this instance (e.g. benign variants). */
  severity?: Severity;
  /** Instance-specific remedy lines put before the rule's generic remedy. */
  remedy?: readonly string[];
  /**
   * Root-cause ids this instance explains (beyond the rule's `explains`), e.g. a restart whose log
   * shows the stop and the new start back to back explains the refused connects of its backend.
   */
  explains?: readonly string[];
}

/** What a rule sees. One context per rule and run. */
export interface RuleContext {
  /**
   * Identifies the run's log input (a key for what rules work out once per run and share); the
   * events themselves are not kept: rules read signals (issue 14: logs streamed).
   */
  readonly run: object;
  /** Last stamp of each log file (by path). */
  lastTs(path: string): number | undefined;
  /** Last stamp of a line of each log file that shows a request being handled (LogIntake.lastActiveTs). */
  lastActiveTs(path: string): number | undefined;
  /** Per-file summaries from the parser, when the caller passed them. */
  readonly summaries: readonly import('../logs/types.js').LogSummary[];
  /** Events that matched a signal of this kind, in input order. */
  signals(kind: string | SignalDef): readonly Signal[];
  /** All signals of several kinds, merged in input order. */
  signalsOf(...kinds: (string | SignalDef)[]): readonly Signal[];
  capture(kind: string): readonly CaptureEvidence[];
  /** The configuration given with the input (empty facts when none). */
  readonly config: ConfigFacts;
  /** Dialects present in the input. */
  readonly dialects: ReadonlySet<LogDialect>;
  /** True when the input has mod_jk / ISAPI debug (or trace) lines. */
  readonly jkDebug: boolean;
  /** JK version if a line reveals it (`mod_jk/1.2.28 initialized` or the parser's `version`). */
  readonly jkVersion: string | undefined;
  /** Builds a finding carrying this rule's id, title, severity, remedy and references. */
  finding(input: FindingInput): Finding;
  /**
   * The same, built only when it is kept: `head` ranks it, `build` makes the rest and is called only
   * when a finding of that rank is kept (at most MAX_FINDINGS_PER_RULE a rule). For a rule that makes
   * a finding per worker or backend and looks through other signals for each: thousands of workers
   * cost only the findings shown, not one look through the whole log each.
   */
  findingIf(head: Pick<FindingInput, 'confidence' | 'severity'>, build: () => Omit<FindingInput, 'confidence' | 'severity'>): Finding;
  /** Capture time − log time (ms) when logs and a capture were read together and their clocks could be aligned; 0 otherwise. */
  readonly clockOffsetMs: number;
}

/**
 * What one line alone can say. A paste is often a single line, without the stamps, neighbours or
 * debug lines a rule's check() correlates. When the input names at most three known messages and
 * nothing in it leads to an error or warning finding, the engine gives each reading whose signal
 * occurs a `possible` finding (warning unless said otherwise): what the line proves, what else could
 * explain it, and what would confirm it.
 */
export interface LoneReading {
  signal: SignalDef;
  /** Only lines whose facts fit (e.g. the APR status of AH01030). */
  when?: (d: SignalData) => boolean;
  /** What the line proves and what else could cause it. */
  explanation: string;
  /** Which log, setting or capture would confirm it. */
  confirm: string;
  /** Default warning; info for readings of harmless events (a client that went away). */
  severity?: Severity;
  /** Not when one of these occurs: a more telling line of the same event has its own reading. */
  unless?: readonly SignalDef[];
}

export interface Rule {
  /** Root-cause id from root-causes.md (or grown from the corpus of real pastes). */
  id: string;
  title: string;
  severity: Severity;
  needs: RuleNeeds;
  docs: RuleDocs;
  check(ctx: RuleContext): Finding[];
  /** Readings of a lone line (see LoneReading). */
  readings?: readonly LoneReading[];
  /**
   * A consequence, not a cause (an lb with no usable member, a member put into error): when another
   * rule names a cause at error or warning, this rule's findings drop to info and say whose
   * consequence they are, so the line that shows why comes first.
   */
  consequence?: boolean;
  /**
   * Configuration keys this rule's findings concern (`jk:connection_pool_timeout`, `proxy:ttl`,
   * `httpd:ProxyIOBufferSize`, `tomcat:packetSize`): when a configuration is given, the engine quotes
   * their file:line and value (or that they are unset, with the default) in each finding's evidence.
   */
  concerns?: readonly string[];
  /**
   * For a configuration check: ids of the rules whose findings (from logs or a capture) show the
   * incident this setting leads to. When one is found too, the check's findings are confirmed.
   */
  confirmedByIncident?: readonly string[];
  /**
   * Root-cause ids a finding of this rule explains when both are about the same subject (no key of
   * their `subject` differs): a reply timeout explains the member put into error. The explained
   * finding is listed under its cause, whatever the two severities.
   */
  explains?: readonly string[];
  /**
   * Capture evidence kinds that show this cause's mechanism itself on the wire (the web server closing
   * after a fixed wait while the container's reply comes later; refusals between Tomcat's FIN on its
   * pooled connections and its answering again). A `likely` finding that keeps such evidence is
   * `confirmed`. Kinds that are only consistent with the cause (an unanswered CPing: busy threads or a
   * GC pause) are not listed.
   */
  confirmedBy?: readonly string[];
}

export interface DiagnoseInput {
  /** Log events in input order (an array in memory); or `logs`, classified as they were read. */
  events?: readonly LogEvent[];
  logs?: import('./intake.js').LogIntake;
  summaries?: readonly import('../logs/types.js').LogSummary[];
  capture?: readonly CaptureEvidence[];
  /** Configuration facts (config/readConfigs). */
  config?: ConfigFacts;
  /** First and last packet time of the capture (epoch ms), for the clock alignment with the logs. */
  captureSpan?: { from: number; to: number };
}

export interface DiagnoseOptions {
  /** Restrict to these rule ids. */
  only?: readonly string[];
  /** Evidence items kept per finding (default 12). */
  maxEvidence?: number;
  /** Rule list to use (default: all rules). */
  rules?: readonly Rule[];
}

export interface NotEvaluated {
  id: string;
  reason: string;
}

export interface DiagnoseResult {
  findings: Finding[];
  /** Logs and a capture read together: their clock offset and whether they overlap (clock.ts). */
  clock?: import('./clock.js').ClockAlignment;
  /** Log events that named at least one message the rules know (0: nothing in the logs was recognised as such). */
  matched: number;
  /**
   * Lines of a signal kind past all the signals kept (rules/intake.ts MAX_LEAN_SIGNALS, a runaway
   * input): counted, not read by the rules (`kept`: the lines of that kind they read). Lines past the
   * texts kept per kind (MAX_SIGNALS_PER_KIND) are read and counted, only not listed as evidence.
   */
  unread?: { kind: string; lines: number; kept: number }[];
  notEvaluated: NotEvaluated[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
