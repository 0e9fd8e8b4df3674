import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { captureReportModel, reportJson } from '../../report/index.js';
import { renderMcmpText } from '../../mcmp/index.js';
import { colorFor } from '../io.js';
import { CAPTURE_DESCRIBE, CAPTURE_OPTIONS, CAPTURE_POSITIONAL, MORE_CAPTURES_DESCRIBE, readCommonOptions, textOrJson, TEXT_OR_JSON } from '../options.js';
import { diagnoseExitCode } from '../findings.js';
import { analysisOptions, analyzeAndDiagnose, captureSources, findingsFooter, reportCommand } from '../analysis.js';

/** `--mcmp-port 6666 --mcmp-port 8000` or `--mcmp-port 6666,8000` → [6666, 8000] (options.ts parses). */
export function parsePorts(v: unknown): number[] {
  return v === undefined ? [] : readCommonOptions({ 'mcmp-port': v }, ['mcmpPorts']).mcmpPorts;
}

/** `ajp-inspect mcmp capture.pcap`: mod_cluster MCMP exchanges, the cluster view, load over time. */
export const mcmpCommand: CliCommand = {
  command: `mcmp ${CAPTURE_POSITIONAL}`,
  describe: 'mod_cluster MCMP: exchanges, what httpd was told, the cluster view and load over time',
  options: CAPTURE_OPTIONS,
  formats: TEXT_OR_JSON,
  reads: 'capture',
  builder: (y) => y.positional('capture', { type: 'string', describe: CAPTURE_DESCRIBE }).positional('more', { type: 'string', array: true, describe: MORE_CAPTURES_DESCRIBE }),
  async run(argv, o, out) {
    const sources = captureSources(argv);
    const { format, output } = o;
    const options = analysisOptions(o);
    const failLevel = o.failOn;
    const { analysis, name, diagnosis } = await analyzeAndDiagnose(sources, o, options);
    const mcmp = analysis.sections.mcmp;

    let text: string;
    if (textOrJson(format, 'mcmp') === 'json') {
      // The report, with the same findings as every command (its capture part as the default command's).
      text = JSON.stringify(reportJson(captureReportModel({ name, analysis, findings: diagnosis.findings })), null, 2) + '\n';
    } else {
      const color = colorFor(argv, output);
      const o: { color: boolean; t0?: number } = { color };
      if (analysis.run.firstTs !== undefined) o.t0 = analysis.run.firstTs;
      text = renderMcmpText(shown(mcmp), o) + findingsFooter(shown(diagnosis.findings), reportCommand('mcmp'));
    }
    out.write(text);
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
