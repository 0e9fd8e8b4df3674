import type { LogSummary } from '../../logs/index.js';
import type { DiagnoseResult } from '../../rules/index.js';
import type { CaptureReportModel } from '../model.js';
import type { Report } from '../types.js';

export interface RenderOptions {
  color: boolean;
  /** Terminal width, when known. */
  width?: number;
}

/** What `diagnose` reports: the JSON report core, and the diagnosis and per-file summaries it came from. */
export interface DiagnosisModel {
  report: Report;
  result: DiagnoseResult;
  summaries: readonly LogSummary[];
}

/**
 * One output format of the commands that report root causes (`-T NAME`): the default command's
 * capture report and `diagnose`'s. A new format is one file in this folder and one line in index.ts.
 */
export interface Renderer {
  /** The `-T` value. */
  format: string;
  /** One line for --help. */
  describe: string;
  /** The capture report wants the AJP stories of the first connections (`capture.connections[].events`). */
  wantsStories?: boolean;
  capture(m: CaptureReportModel, o: RenderOptions): string;
  diagnosis(m: DiagnosisModel, o: RenderOptions): string;
  /**
   * The same output as capture() / diagnosis(), handed to `write` in pieces as it is produced (a
   * large report is never one string). Optional: a renderer without them is written whole.
   */
  writeCapture?(m: CaptureReportModel, o: RenderOptions, write: (text: string) => void): void;
  writeDiagnosis?(m: DiagnosisModel, o: RenderOptions, write: (text: string) => void): void;
}
