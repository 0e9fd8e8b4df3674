/**
 * The verdict: the one root cause to act on, where, when and how sure, plus what it explains and the
 * other root causes. Every format starts with it (text's first line, JSON's `verdict`), computed
 * here once from the findings in causal order (rules/engine.ts causalOrder).
 */
import { causalDepths, type Confidence, type Finding, type Severity } from '../rules/finding.js';

export interface Verdict {
  id: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** What it is about (worker, backend, lb, client…). */
  subject?: Record<string, string>;
  /** First and last time of its evidence (ISO 8601), when the evidence has times. */
  from?: string;
  to?: string;
  /** The consequences listed under it. */
  explains?: string[];
  /** The other root causes (listed after it). */
  otherCauses: string[];
  /** The verdict as one line of plain text (what text output prints first). */
  text: string;
}

function iso(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** Time span of a finding's evidence in epoch ms (capture evidence has epoch seconds, log evidence ISO). */
export function evidenceSpan(f: Finding): { from: number; to: number } | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const e of f.evidence) {
    const t = e.source === 'capture' ? e.ts * 1000 : e.ts !== undefined ? Date.parse(e.ts) : NaN;
    if (!Number.isFinite(t)) continue;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return from <= to ? { from, to } : undefined;
}

function about(f: Finding): string {
  return f.subject && Object.keys(f.subject).length ? ` (${Object.entries(f.subject).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
}

/** When, in words: the UTC time (and span) of the evidence. */
function when(span: { from: number; to: number } | undefined): string {
  if (span === undefined) return '';
  const a = iso(span.from);
  const b = iso(span.to);
  if (a === undefined || b === undefined) return '';
  const hms = (s: string) => s.slice(11, 19);
  if (span.to - span.from < 1000) return `, at ${a.slice(0, 10)} ${hms(a)} UTC`;
  return a.slice(0, 10) === b.slice(0, 10) ? `, ${a.slice(0, 10)} ${hms(a)}–${hms(b)} UTC` : `, ${a.slice(0, 19)}Z–${b.slice(0, 19)}Z`;
}

/** The verdict of findings in causal order; undefined when there is none. */
export function verdictOf(findings: readonly Finding[]): Verdict | undefined {
  const f = findings[0];
  if (f === undefined) return undefined;
  const depths = causalDepths(findings);
  const span = evidenceSpan(f);
  const explains = f.explains ?? [];
  const others = [...new Set(findings.filter((x, i) => depths[i] === 0 && x !== f).map((x) => x.id))];
  const tail = [
    explains.length ? `explains ${explains.join(', ')}` : '',
    others.length ? `${others.length} other root cause${others.length > 1 ? 's' : ''} below (${others.join(', ')})` : '',
  ].filter(Boolean);
  const text = `${f.severity}, ${f.confidence}: ${f.id} — ${f.title}${about(f)}${when(span)}${tail.length ? `; ${tail.join('; ')}` : ''}.`;
  const v: Verdict = { id: f.id, title: f.title, severity: f.severity, confidence: f.confidence, otherCauses: others, text };
  if (f.subject && Object.keys(f.subject).length) v.subject = f.subject;
  if (span !== undefined) {
    const a = iso(span.from);
    const b = iso(span.to);
    if (a !== undefined) v.from = a;
    if (b !== undefined) v.to = b;
  }
  if (explains.length) v.explains = explains;
  return v;
}
