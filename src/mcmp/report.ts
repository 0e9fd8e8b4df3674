/**
 * The `capture.mcmp` section of the JSON report: plain data built from an McmpAnalysis, so the
 * text rendering and the JSON always say the same thing.
 */
import type { CaptureEvidence } from '../util/evidence.js';
import type { ClusterView, McmpAnalysis } from './cluster.js';
import { fieldValue } from './responses.js';
import type { McmpExchange, McmpRequest, McmpUnanswered } from './types.js';

/** How much each evidence kind matters on its own (rules may conclude more). */
export const MCMP_EVIDENCE_SEVERITY: Record<string, 'error' | 'warning' | 'info'> = {
  'mcmp-node-broken': 'warning',
  'mcmp-node-notok': 'warning',
  'mcmp-syntax-error': 'error',
  'mcmp-mem-error': 'error',
  'mcmp-general-error': 'error',
  'mcmp-http-error': 'warning',
  'mcmp-node-unknown': 'error',
  'mcmp-node-removed': 'info',
  'mcmp-httpd-restarted': 'warning',
  'mcmp-stop-app-requests-active': 'info',
  'mcmp-stop-app-no-requests': 'warning',
  'mcmp-param-too-long': 'error',
  'mcmp-param-missing': 'error',
  'mcmp-param-invalid': 'warning',
  'mcmp-method-unknown': 'warning',
  'mcmp-keepalive-closed': 'info',
  'mcmp-unanswered': 'warning',
  'mcmp-unparsable': 'warning',
};

const ep = (e: { addr: string; port: number }): string => (e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`);
const r6 = (n: number): number => Math.round(n * 1e6) / 1e6;

export interface McmpAnswerSummary {
  status: number;
  reason: string;
  /** STATUS-RSP / PING-RSP / STOP-APP-RSP / ENABLE-APP-RSP ..., INFO, DUMP, VERSION, ERROR, HTTP. */
  type: string;
  state?: string;
  id?: string;
  requests?: string;
  error?: { type?: string; mess?: string; version?: string };
  text: string;
}

/** One line answer summary for tables: "OK", "NOTOK", "SYNTAX: …", "Requests=0", "2 nodes", … */
export function summarizeAnswer(x: McmpExchange): McmpAnswerSummary {
  const r = x.response;
  const d = r.decoded;
  const out: McmpAnswerSummary = { status: r.status, reason: r.reason, type: 'HTTP', text: '' };
  if (r.error) {
    out.type = 'ERROR';
    out.error = { ...r.error };
    out.text = r.error.mess ?? `${r.error.type ?? ''} error`;
    return out;
  }
  switch (d.kind) {
    case 'fields': {
      out.type = d.fields.type ?? 'fields';
      const state = fieldValue(d.fields, 'State');
      const id = fieldValue(d.fields, 'id');
      const req = fieldValue(d.fields, 'Requests');
      if (state !== undefined) out.state = state;
      if (id !== undefined) out.id = id;
      if (req !== undefined) out.requests = req;
      out.text = [state !== undefined ? `State=${state}` : '', req !== undefined ? `Requests=${req}` : ''].filter(Boolean).join(' ');
      break;
    }
    case 'app-rsp':
      out.type = d.type;
      out.text = d.aliases.map((a) => `${a.alias}: ${a.contexts.join(',')}`).join('; ');
      break;
    case 'info':
      out.type = 'INFO';
      out.text = `${d.nodes.length} node(s), ${d.contexts.length} context(s)`;
      break;
    case 'dump':
      out.type = 'DUMP';
      out.text = `${d.balancers.length} balancer(s), ${d.nodes.length} node(s), ${d.contexts.length} context(s)`;
      break;
    case 'version':
      out.type = 'VERSION';
      out.text = [d.release, d.protocol ? `protocol ${d.protocol}` : ''].filter(Boolean).join(', ');
      break;
    case 'empty':
      out.type = r.status === 200 ? 'OK' : 'HTTP';
      out.text = r.status === 200 ? '' : r.reason;
      break;
    case 'unparsable':
      out.type = 'UNPARSABLE';
      out.text = d.reason;
      break;
    default:
      out.type = 'HTTP';
      out.text = r.status === 200 ? d.kind : `(${d.kind} body: not from mod_manager)`;
  }
  return out;
}

function requestJson(r: McmpRequest, t0: number): Record<string, unknown> {
  const o: Record<string, unknown> = {
    time: r6(r.ts),
    timeRel: r6(r.ts - t0),
    stream: r.stream,
    frames: r.frames,
    client: ep(r.client),
    server: ep(r.server),
    method: r.method,
    uri: r.uri,
    wildcard: r.wildcard,
    params: r.params.map((p) => (p.formValue !== undefined ? [p.key, p.value, p.formValue] : [p.key, p.value])),
    body: r.body,
  };
  if (r.problems.length > 0) o.problems = r.problems;
  if (r.knownBy.length < 3) o.knownBy = r.knownBy;
  return o;
}

function exchangeJson(x: McmpExchange, t0: number): Record<string, unknown> {
  const a = summarizeAnswer(x);
  const r = x.response;
  const answer: Record<string, unknown> = {
    time: r6(r.ts),
    timeRel: r6(r.ts - t0),
    frames: r.frames,
    status: r.status,
    reason: r.reason,
    framing: r.framing,
    type: a.type,
    bodyLength: r.bodyLength,
  };
  if (a.state !== undefined) answer.state = a.state;
  if (a.id !== undefined) answer.id = a.id;
  if (a.requests !== undefined) answer.requests = a.requests;
  if (a.error) answer.error = a.error;
  if (r.decoded.kind !== 'empty' && r.decoded.kind !== 'html') answer.decoded = r.decoded;
  if (r.problems.length > 0) answer.problems = r.problems;
  const o: Record<string, unknown> = { index: x.index, ...requestJson(x.request, t0), answer };
  if (x.probes.cping + x.probes.cpong + x.probes.options > 0) o.probes = x.probes;
  if (x.resendOf) o.resendOf = { stream: x.resendOf.stream, timeRel: r6(x.resendOf.ts - t0), frames: x.resendOf.frames };
  return o;
}

function unansweredJson(u: McmpUnanswered, t0: number): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ...requestJson(u.request, t0),
    reason: u.reason,
    serverFinRel: u.serverFinTs.map((t) => r6(t - t0)),
    serverRstRel: u.serverRstTs.map((t) => r6(t - t0)),
  };
  if (u.resentAs !== undefined) o.resentAs = u.resentAs;
  return o;
}

function clusterJson(c: ClusterView, t0: number): Record<string, unknown> {
  return {
    server: c.server,
    generation: c.generation,
    balancers: c.balancers,
    nodes: c.nodes.map((n) => ({
      ...n,
      loadHistory: n.loadHistory.map((p) => ({ ...p, ts: r6(p.ts), timeRel: r6(p.ts - t0) })),
      contexts: n.contexts.map((x) => ({ ...x, ts: r6(x.ts) })),
    })),
    httpdIds: c.httpdIds,
    changes: c.changes.map((ch) => ({ ...ch, ts: r6(ch.ts), timeRel: r6(ch.ts - t0) })),
    ...(c.changesDropped !== undefined ? { changesDropped: c.changesDropped } : {}),
  };
}

/** Every MCMP request seen on the wire, counted by method as sent, unanswered ones included. */
export function messagesByMethod(a: McmpAnalysis): Record<string, number> {
  const out: Record<string, number> = { ...a.tally.methods };
  for (const [m, n] of Object.entries(a.unansweredTally.methods)) out[m] = (out[m] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)));
}

export interface McmpSection {
  messages: Record<string, number>;
  answers: Record<string, number>;
  exchangeCount: number;
  unansweredCount: number;
  connections: number;
  /** The first MAX_EXCHANGES_LISTED exchanges (exchangesDropped: how many more there were). */
  exchanges: Array<Record<string, unknown>>;
  exchangesDropped?: number;
  /** The first MAX_UNANSWERED_LISTED (unansweredDropped: how many more there were). */
  unanswered: Array<Record<string, unknown>>;
  unansweredDropped?: number;
  otherHttp: Array<Record<string, unknown>>;
  clusters: Array<Record<string, unknown>>;
  probes: { cping: number; cpong: number; options: number; linked: number };
  evidence: CaptureEvidence[];
  evidenceCounts: Record<string, number>;
}

/** `capture.mcmp` for the JSON report. `t0` is the time of the capture's first packet. */
export function mcmpSection(a: McmpAnalysis, t0 = a.firstTs ?? 0): McmpSection {
  const evidenceCounts: Record<string, number> = {};
  for (const e of a.evidence) evidenceCounts[e.kind] = (evidenceCounts[e.kind] ?? 0) + 1;
  const dropped = a.tally.exchanges - a.exchanges.length;
  return {
    messages: messagesByMethod(a),
    answers: { ...a.tally.statuses },
    exchangeCount: a.tally.exchanges,
    unansweredCount: a.unansweredTally.count,
    connections: a.tally.streams.size,
    exchanges: a.exchanges.map((x) => exchangeJson(x, t0)),
    ...(dropped > 0 ? { exchangesDropped: dropped } : {}),
    unanswered: a.unanswered.map((u) => unansweredJson(u, t0)),
    ...(a.unansweredTally.count > a.unanswered.length ? { unansweredDropped: a.unansweredTally.count - a.unanswered.length } : {}),
    otherHttp: a.otherHttp.map((h) => ({
      time: r6(h.ts),
      timeRel: r6(h.ts - t0),
      stream: h.stream,
      frames: h.frames,
      client: ep(h.client),
      server: ep(h.server),
      requestLine: h.requestLine,
      userAgent: h.userAgent ?? null,
      status: h.status ?? null,
    })),
    clusters: a.clusters.map((c) => clusterJson(c, t0)),
    probes: {
      cping: a.probeCounts.CPING,
      cpong: a.probeCounts.CPONG,
      options: a.probeCounts.OPTIONS,
      linked: a.tally.probesLinked,
    },
    evidence: a.evidence,
    evidenceCounts,
  };
}
