/**
 * What the Markdown and HTML reports pick from the model, bounded: the connections worth drawing
 * (those the findings name first, then those with violations, errors or resets, then the rest),
 * per-status request counts, per-backend counts, the inputs with their time spans. Counts of what is
 * left out always come with what is kept.
 */
import type { AjpSection } from '../analyze/index.js';
import type { AjpConnection, RequestRow } from '../timeline/index.js';
import type { Finding } from '../rules/finding.js';
import type { CaptureReportModel } from './model.js';

/** The AJP section of a model (every capture model has one; absent only in hand-made models). */
export function ajpOf(m: CaptureReportModel): AjpSection | undefined {
  return (m.capture.analysis.sections as { ajp?: AjpSection }).ajp;
}

/**
 * tcp.stream ids the findings' capture evidence names, taken in turns across the findings (the first
 * stream of each finding, then the second of each, …), so that when only some can be drawn every
 * finding has its connections among them, not only the first finding's.
 */
export function streamsInFindings(findings: readonly Finding[]): number[] {
  const per = findings.map((f) => [...new Set(f.evidence.flatMap((e) => (e.source === 'capture' ? [e.stream] : [])))]);
  const out: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; per.some((l) => k < l.length); k++)
    for (const l of per) {
      const s = l[k];
      if (s !== undefined && !seen.has(s)) (seen.add(s), out.push(s));
    }
  return out;
}

/** Connections in the order worth showing, at most `max`, and how many were left out. */
export function connectionsToShow(ajp: AjpSection, findings: readonly Finding[], max: number): { shown: AjpConnection[]; left: number; named: Set<number> } {
  const turn = new Map(streamsInFindings(findings).map((s, k) => [s, k]));
  const named = new Set(turn.keys());
  const list = ajp.connectionList;
  const rank = (c: AjpConnection): number => (named.has(c.stream) ? 0 : c.violations.length > 0 || c.errors > 0 || c.facts.rstBy !== null ? 1 : 2);
  const order = [...list].sort((a, b) => rank(a) - rank(b) || (turn.get(a.stream) ?? 0) - (turn.get(b.stream) ?? 0) || a.stream - b.stream);
  const shown = order.slice(0, max);
  return { shown, left: list.length - shown.length + ajp.connectionsDropped, named };
}

/** A request that failed: no status, a 5xx, or a cycle that did not end with END_RESPONSE. */
export function failed(r: Pick<RequestRow, 'status' | 'outcome'>): boolean {
  return r.status === null || r.status >= 500 || r.outcome !== 'end-response';
}

/** Request counts by status class ('2xx', '5xx', 'none'). */
export function statusCounts(rows: readonly RequestRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = r.status === null ? 'none' : `${Math.floor(r.status / 100)}xx`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Requests and failed ones per container endpoint (the backend), most requests first. */
export function perBackend(ajp: AjpSection): Array<{ label: string; total: number; bad: number }> {
  const backendOf = new Map(ajp.connectionList.map((c) => [c.stream, c.container.addr.includes(':') ? `[${c.container.addr}]:${c.container.port}` : `${c.container.addr}:${c.container.port}`]));
  const acc = new Map<string, { total: number; bad: number }>();
  for (const r of ajp.requestList) {
    const k = backendOf.get(r.stream) ?? 'other';
    const a = acc.get(k) ?? { total: 0, bad: 0 };
    a.total++;
    if (failed(r)) a.bad++;
    acc.set(k, a);
  }
  return [...acc].map(([label, v]) => ({ label, ...v })).sort((a, b) => b.total - a.total);
}

function iso(ts: number | undefined): string | undefined {
  return ts === undefined || !Number.isFinite(ts) ? undefined : new Date(ts * 1000).toISOString();
}

export interface InputRow {
  path: string;
  kind: string;
  format: string;
  /** What was read, in words (packets, lines). */
  read: string;
  from?: string;
  to?: string;
}

interface LogFileJson {
  path: string;
  lines: number;
  firstTs?: string;
  lastTs?: string;
  unrecognised: number;
}

/** The inputs with what was read from each and its time span. */
export function inputRows(m: CaptureReportModel): InputRow[] {
  const run = m.capture.analysis.run;
  const files = ((m.logs as { files?: LogFileJson[] } | undefined)?.files ?? []) as LogFileJson[];
  return m.inputs.map((i) => {
    if (i.kind === 'capture') {
      const row: InputRow = { path: i.path, kind: i.kind, format: i.format, read: `${run.packets} packets, ${run.tcpStreams} TCP streams` };
      const a = iso(run.firstTs);
      const b = iso(run.lastTs);
      if (a !== undefined) row.from = a;
      if (b !== undefined) row.to = b;
      return row;
    }
    const f = files.find((x) => x.path === i.path);
    const row: InputRow = { path: i.path, kind: i.kind, format: i.format, read: f ? `${f.lines} lines (${f.unrecognised} unrecognised)` : '' };
    if (f?.firstTs !== undefined) row.from = f.firstTs;
    if (f?.lastTs !== undefined) row.to = f.lastTs;
    return row;
  });
}

/** Cut a string to `max` characters (one line), saying so. */
export function clip(s: string, max: number): string {
  const one = s.replace(/\r?\n/g, ' ⏎ ');
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** A Wireshark filter for at most `max` frames, and how many frames it leaves out. */
export function boundedFilter(frames: readonly number[], max = 100): { filter: string; left: number } {
  const uniq = [...new Set(frames)].sort((a, b) => a - b);
  const kept = uniq.slice(0, max);
  return { filter: `frame.number in {${kept.join(' ')}}`, left: uniq.length - kept.length };
}
