/**
 * analyze/: the one seam every capture command goes through.
 *
 *   analyzeCapture(sources, options) → { run, sections, evidence, notices }
 *
 * It runs the capture pipeline (inspect/: capture → net → tcp) once, with every registered
 * protocol vertical (verticals/index.ts) as a sink, then lets each vertical finish: its typed
 * section for the report, its rule-level evidence, its notices. Commands differ only in what they
 * show; what is detected, and so the root causes and the exit code, is the same for all of them.
 */
import { inspectCapture, type CaptureRun, type InspectOptions } from '../inspect/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { verticals } from './verticals/index.js';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions, type Notice, type ProtocolVertical, type VerticalRun } from './types.js';

type Vertical = (typeof verticals)[number];
type SectionOf<V> = V extends { createSink(o: AnalysisOptions): { finish(run: CaptureRun): { section: infer S } } } ? S : never;

/** Each registered vertical's section, by its name (`sections.ajp`, `sections.mcmp`, …). */
export type Sections = { [V in Vertical as V['name']]: SectionOf<V> };

export interface CaptureAnalysis {
  run: CaptureRun;
  sections: Sections;
  /** Every vertical's rule-level evidence, in time order. */
  evidence: CaptureEvidence[];
  notices: Notice[];
  options: AnalysisOptions;
}

/** How to read the input (not what to analyse): stdin, progress, a display name. */
export type ReadOptions = Pick<InspectOptions, 'stdin' | 'onProgress' | 'progressEvery' | 'onEnding' | 'onFirstPacket' | 'name' | 'pcapEngine' | 'maxStreams' | 'maxOpenFlows'>;

/** Reads one capture, or several as one (a rotation, in time order), through every vertical. */
export async function analyzeCapture(sources: string | readonly string[], options: Partial<AnalysisOptions> = {}, read: ReadOptions = {}): Promise<CaptureAnalysis> {
  const opts: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  const all = verticals as readonly ProtocolVertical<unknown>[];
  const runs: VerticalRun<unknown>[] = all.map((v) => v.createSink(opts));
  const run = await inspectCapture(sources, { ...read, sinks: runs.map((r) => r.sink), idleThreshold: opts.idle });
  const sections: Record<string, unknown> = {};
  const evidence: CaptureEvidence[] = [];
  const notices: Notice[] = [];
  all.forEach((v, i) => {
    const out = runs[i]!.finish(run);
    sections[v.name] = out.section;
    // One by one: a spread of 100,000+ items overflows the call stack (200,000 SYNs on one 4-tuple).
    for (const e of out.evidence) evidence.push(e);
    for (const n of out.notices) notices.push(n);
  });
  if (run.evicted !== undefined) {
    const e = run.evicted;
    notices.push({
      kind: 'connections-closed-early',
      text: `more than ${e.maxOpenFlows.toLocaleString('en')} TCP connections were open at once: the ${e.flows.toLocaleString('en')} idle the longest were closed early (their summary ends "timeout")${e.laterPackets > 0 ? `, and ${e.laterPackets.toLocaleString('en')} packets that came on them later were not decoded` : ''}; stream numbers are unchanged`,
    });
  }
  evidence.sort((a, b) => a.ts - b.ts || a.stream - b.stream);
  return { run, sections: sections as Sections, evidence, notices, options: opts };
}

/** The JSON entries of every section, to merge into `capture` (docs/report.md). */
export function sectionsJson(a: CaptureAnalysis): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const all = verticals as readonly ProtocolVertical<unknown>[];
  for (const v of all) Object.assign(out, v.json((a.sections as Record<string, unknown>)[v.name], a.run));
  return out;
}

/** Every section's text part, in registration order. */
export function sectionsText(a: CaptureAnalysis, ctx: { color: boolean; t0?: number; width?: number }): string {
  const all = verticals as readonly ProtocolVertical<unknown>[];
  return all.map((v) => v.text((a.sections as Record<string, unknown>)[v.name], ctx)).join('');
}

export { verticals } from './verticals/index.js';
export { topServerPorts, type AjpSection } from './verticals/ajp.js';
export { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions, type Notice, type ProtocolVertical, type VerticalRun, type VerticalResult, type TextContext } from './types.js';
