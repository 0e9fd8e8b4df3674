/** report/: the report model (JSON core, docs/report.md) and its renderers. */
export type { Finding, Report, InputRef, Severity, Confidence } from './types.js';
export {
  buildReport,
  captureSection,
  captureInput,
  streamReport,
  formatEndpoint,
  type CaptureSection,
  type StreamReport,
  type ReportParts,
} from './capture.js';
export { renderCaptureText, anomalies, type TextOptions } from './text.js';
export { captureReportModel, reportJson, renderReportText, type CaptureReportModel } from './model.js';
export { renderFindingsText, paint, verdictLine } from './findings-text.js';
export { renderers, rendererFor, type DiagnosisModel, type RenderOptions, type Renderer } from './renderers/index.js';
export { renderDiagnosisText } from './diagnosis-text.js';
export { renderStatsText, statsTextLines } from './stats-text.js';
export { statsJsonChunks } from './stats-json.js';
export { verdictOf, evidenceSpan, type Verdict } from './verdict.js';
