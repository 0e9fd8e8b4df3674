/**
 * The typed report of a capture analysis: what was read, the protocol sections (from the analysis
 * seam), notices, findings (from the rules), and the logs part when logs were read with it. The
 * JSON document (docs/report.md, docs/report.schema.json) and the text report are both renderings
 * of this one object and read nothing else.
 */
import { sectionsJson, sectionsText, type CaptureAnalysis, type Notice } from '../analyze/index.js';
import type { Finding } from '../rules/finding.js';
import { buildReport, captureInput, captureSection } from './capture.js';
import { renderFindingsText, verdictLine } from './findings-text.js';
import { renderCaptureText } from './text.js';
import { verdictOf } from './verdict.js';
import type { InputRef, Report } from './types.js';

export interface CaptureReportModel {
  inputs: InputRef[];
  /** Non-fatal problems of the inputs ("FILE: capture cut short …"). */
  warnings: string[];
  /** What the user should know about the inputs (no AJP found, an option the wire contradicts). */
  notices: Notice[];
  capture: { name: string; analysis: CaptureAnalysis };
  /** Root causes, most severe first; undefined when the rules were not run (mcmp's own report). */
  findings?: Finding[];
  /** The `logs` section when logs were diagnosed with the capture. */
  logs?: Record<string, unknown>;
  /** Logs were read with the capture (for "none found in this capture and these logs"). */
  withLogs: boolean;
}

/** The model for a capture (and, with `logs`, the logs read with it). */
export function captureReportModel(parts: {
  name: string;
  analysis: CaptureAnalysis;
  findings?: Finding[];
  logInputs?: InputRef[];
  logs?: Record<string, unknown>;
}): CaptureReportModel {
  const { analysis, name } = parts;
  const m: CaptureReportModel = {
    inputs: [captureInput(analysis.run, name), ...(parts.logInputs ?? [])],
    // A rotation's warnings already name their file.
    warnings: analysis.run.warnings.map((w) => (analysis.run.files.length > 1 ? w.message : `${name}: ${w.message}`)),
    notices: analysis.notices,
    capture: { name, analysis },
    withLogs: (parts.logInputs?.length ?? 0) > 0,
  };
  if (parts.findings !== undefined) m.findings = parts.findings;
  if (parts.logs !== undefined) m.logs = parts.logs;
  return m;
}

/** The JSON report of the model. */
export function reportJson(m: CaptureReportModel): Report {
  const { analysis, name } = m.capture;
  const capture = { ...captureSection(analysis.run, name), ...sectionsJson(analysis) };
  if (m.notices.length > 0) capture.notices = m.notices;
  // Several files read as one (a rotation): which frames came from which file.
  if (analysis.run.files.length > 1) capture.files = analysis.run.files.map((f) => ({ path: f.source === '-' ? 'stdin' : f.source, firstFrame: f.firstFrame, lastFrame: f.lastFrame }));
  const report = buildReport({ inputs: m.inputs, warnings: m.warnings, capture });
  if (m.logs !== undefined) report.logs = m.logs;
  if (m.findings !== undefined) {
    report.verdict = verdictOf(m.findings) ?? null;
    report.findings = m.findings;
  }
  return report;
}

/** The line that ends a text report without findings: the notice that explains it, if any. */
function noneFound(m: CaptureReportModel): string {
  const noAjp = m.notices.find((n) => n.kind === 'no-ajp');
  // An MCMP-only capture has its own story; without AJP and without anything else, say why nothing was found.
  if (noAjp !== undefined) return noAjp.text;
  return 'Root causes: none found in this capture' + (m.withLogs ? ' and these logs' : '') + '.';
}

/**
 * The text report: the verdict, the root causes with their consequences nested (causal order), then
 * the details: capture summary and stream table, each protocol's part, notices.
 */
export function renderReportText(m: CaptureReportModel, opts: { color: boolean; width?: number }): string {
  const { analysis, name } = m.capture;
  const run = analysis.run;
  const ctx = run.firstTs === undefined ? { color: opts.color } : { color: opts.color, t0: run.firstTs };
  const findings = m.findings ?? [];
  const noAjp = m.notices.find((n) => n.kind === 'no-ajp');
  const none = noAjp !== undefined ? noAjp.text : `no root cause found in this capture${m.withLogs ? ' and these logs' : ''}.`;
  let text = '';
  if (m.findings !== undefined) {
    text += `${verdictLine(findings, opts.color, none)}\n\n`;
    if (findings.length)
      text += `Root causes:\n${renderFindingsText(findings, opts.width === undefined ? { color: opts.color } : { color: opts.color, width: opts.width }).join('\n')}\nDetails:\n\n`;
  }
  text += renderCaptureText(captureSection(run, name), m.warnings, { color: opts.color }) + sectionsText(analysis, ctx);
  const notes = m.notices.filter((n) => !(findings.length === 0 && n.kind === 'no-ajp'));
  if (notes.length > 0) text += '\n' + notes.map((n) => `Note: ${n.text}`).join('\n') + '\n';
  if (m.findings !== undefined && !findings.length) text += `\n${noneFound(m)}\n`;
  return text;
}
