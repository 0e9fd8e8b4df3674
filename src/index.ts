/** Library entry: `import { ... } from 'ajp-inspect'`. */
export { TOOL_VERSION } from './version.js';
export type { Packet, CaptureInfo, CaptureWarning } from './capture/types.js';
export type { Segment } from './net/types.js';
export type { StreamInfo, StreamData, TcpEvent, TcpSink, StreamSummary } from './tcp/types.js';
export { TcpFlowTable, fanOut, copyTcpEvent } from './tcp/index.js';
export { inspectCapture, type CaptureRun, type InspectOptions } from './inspect/index.js';
export { analyzeCapture, verticals, type CaptureAnalysis, type AnalysisOptions, type ProtocolVertical, type Notice, type Sections } from './analyze/index.js';
export { buildReport, captureSection, renderCaptureText, captureReportModel, reportJson, renderReportText, type CaptureReportModel } from './report/index.js';
export {
  McmpAnalyzer,
  buildAnalysis as buildMcmpAnalysis,
  mcmpSection,
  renderMcmpText,
  MCMP_EVIDENCE_KINDS,
  type McmpAnalysis,
  type McmpExchange,
  type ClusterView,
} from './mcmp/index.js';
export {
  AjpSession,
  PacketReader,
  decodePacket,
  looksLikeAjp,
  FRAME_TYPES,
  VIOLATION_KINDS,
  type AjpMessage,
  type FrameType,
  type ViolationKind,
} from './ajp/index.js';
export {
  AjpAnalyzer,
  AjpCaptureAnalyzer,
  describeMessage,
  renderStory,
  type AjpAnalyzerOptions,
  type AjpConnection,
  type AjpResult,
  type RequestCycle,
  type TimelineEvent,
} from './timeline/index.js';
export { readLogs, parseLogText, type LogEvent, type LogSummary } from './logs/index.js';
export { detectCaptureEvidence, AjpDetector } from './detect/index.js';
export { diagnose, rules, type DiagnoseResult } from './rules/index.js';
export type { Finding, Report } from './report/types.js';
export { failsOn, type Severity } from './rules/finding.js';
export type { CaptureEvidence, LogEvidence, Evidence } from './util/evidence.js';
