import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { captureReportModel, reportJson } from '../../report/index.js';
import { renderMcmpText } from '../../mcmp/index.js';
import { colorFor, writeOutput, type Format } from '../io.js';
import { ajpOptions } from './frames.js';
import { diagnoseExitCode } from '../findings.js';
import { analysisOptions, analyze, captureName, captureSources, diagnoseAnalysis, failOn, findingsFooter, printWarnings } from '../analysis.js';

/** `--mcmp-port 6666 --mcmp-port 8000` or `--mcmp-port 6666,8000` → [6666, 8000]. */
export function parsePorts(v: unknown): number[] {
  const items = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(','));
  const ports: number[] = [];
  for (const item of items) {
    if (item.trim() === '') continue;
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(`--mcmp-port: "${item}" is not a TCP port`);
    ports.push(n);
  }
  return ports;
}

/** `ajp-inspect mcmp capture.pcap`: mod_cluster MCMP exchanges, the cluster view, load over time. */
export const mcmpCommand: CliCommand = {
  command: 'mcmp <capture>',
  describe: 'mod_cluster MCMP: exchanges, what httpd was told, the cluster view and load over time',
  builder: (y) =>
    ajpOptions(y)
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .option('mcmp-port', {
        type: 'string',
        array: true,
        describe: 'also take requests with unknown methods to this server port as MCMP (MCMP methods are found on any port)',
      })
      .option('format', { alias: 'T', choices: ['text', 'json'] as const, default: 'text', describe: 'report format' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
      .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto', describe: 'colours in text output (NO_COLOR respected)' }),
  async run(argv) {
    const sources = captureSources(argv);
    const format = (argv.format ?? 'text') as Format;
    const output = argv.output === undefined ? undefined : String(argv.output);
    const options = analysisOptions(argv);
    const failLevel = failOn(argv);
    const analysis = await analyze(sources, options);
    const name = captureName(sources);
    printWarnings(analysis, name);
    const diagnosis = diagnoseAnalysis(analysis);
    const mcmp = analysis.sections.mcmp;

    let text: string;
    if (format === 'json') {
      // The report, with the same findings as every command (its capture part as the default command's).
      text = JSON.stringify(reportJson(captureReportModel({ name, analysis, findings: diagnosis.findings })), null, 2) + '\n';
    } else {
      const color = colorFor(argv, output);
      const o: { color: boolean; t0?: number } = { color };
      if (analysis.run.firstTs !== undefined) o.t0 = analysis.run.firstTs;
      text = renderMcmpText(mcmp, o) + findingsFooter(diagnosis.findings, name);
    }
    await writeOutput(text, output);
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
