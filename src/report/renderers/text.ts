import { renderDiagnosisText } from '../diagnosis-text.js';
import { renderReportText } from '../model.js';
import type { Renderer } from './types.js';

/** The human report: the verdict first, then the details (the terminal's colours and width). */
export const textRenderer: Renderer = {
  format: 'text',
  describe: 'the human report, the verdict first',
  capture: (m, o) => renderReportText(m, o),
  diagnosis: (m, o) => renderDiagnosisText(m.result, m.summaries, o, m.report.inputs),
};
