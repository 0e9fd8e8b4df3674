/** timeline/: each AJP connection's story, built by the AjpAnalyzer TcpSink. */
export { AjpAnalyzer, emptyFrameCounts, fmtMs, fmtSecs } from './analyzer.js';
export type { AjpAnalyzerOptions, StorySink } from './analyzer.js';
export { describeMessage, describeMessageFields } from './describe.js';
export { redactMessage, redactHeaders, redactAttributes, isSensitiveHeader } from './redact.js';
export { renderStory, renderFrameLine, storyLineGen, storyLines, type StoryLists, type TimeText } from './render.js';
export type * from './types.js';
export { AjpCaptureAnalyzer, ajpReportSection } from './capture-analyzer.js';
export { endpoint, frameList } from './render.js';
export { renderAjpText, type AjpTextOptions } from './summary-text.js';
