import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import type { CaptureAnalyzer, CaptureRun } from '../../inspect/index.js';
import { buildReport, captureInput, captureSection, type Report } from '../../report/index.js';
import {
  McmpAnalyzer,
  buildAnalysis,
  hasMcmpProblems,
  mcmpSection,
  renderMcmpSummary,
  renderMcmpText,
  type McmpAnalysis,
} from '../../mcmp/index.js';
import { colorFor, runCapture } from '../io.js';
import { CAPTURE_OPTIONS, readCommonOptions } from '../options.js';

/** `--mcmp-port 6666 --mcmp-port 8000` or `--mcmp-port 6666,8000` → [6666, 8000] (options.ts parses). */
export function parsePorts(v: unknown): number[] {
  return v === undefined ? [] : readCommonOptions({ 'mcmp-port': v }, ['mcmpPorts']).mcmpPorts;
}

/**
 * An MCMP analyzer for a capture run: the sink, then the analysis once the capture is read; the
 * default command adds `capture.mcmp` to its report and the short MCMP text part.
 */
export function mcmpCaptureAnalyzer(mcmpPorts: number[] = []): CaptureAnalyzer<Report> & {
  analysis(): McmpAnalysis;
  renderText(color: boolean): string;
} {
  const sink = new McmpAnalyzer({ mcmpPorts });
  let result: McmpAnalysis | undefined;
  let t0: number | undefined;
  const analysis = (): McmpAnalysis => (result ??= buildAnalysis(sink.finish()));
  return {
    sink,
    analysis,
    addTo(report: Report, run: CaptureRun) {
      t0 = run.firstTs;
      if (report.capture) report.capture.mcmp = mcmpSection(analysis(), run.firstTs ?? analysis().firstTs ?? 0);
    },
    renderText(color: boolean) {
      const o: { color: boolean; t0?: number } = { color };
      if (t0 !== undefined) o.t0 = t0;
      const text = renderMcmpSummary(analysis(), o);
      return text === '' ? '' : `\n${text}`;
    },
  };
}


/** `ajp-inspect mcmp capture.pcap`: mod_cluster MCMP exchanges, the cluster view, load over time. */
export const mcmpCommand: CliCommand = {
  command: 'mcmp <capture>',
  describe: 'mod_cluster MCMP: exchanges, what httpd was told, the cluster view and load over time',
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  builder: (y) => y.positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' }),
  async run(argv, o, out) {
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    const format = o.format;
    const output = o.output;
    const ports = o.mcmpPorts;
    const analyzer = mcmpCaptureAnalyzer(ports);
    const run = await runCapture(source, { sinks: [analyzer.sink] });
    const name = source === '-' ? 'stdin' : source;
    const warnings = run.warnings.map((w) => `${name}: ${w.message}`);
    for (const w of warnings) process.stderr.write(`ajp-inspect: warning: ${w}\n`);
    const analysis = analyzer.analysis();

    let text: string;
    if (format === 'json') {
      const report = buildReport({ inputs: [captureInput(run, name)], warnings, capture: captureSection(run, name) });
      analyzer.addTo(report, run);
      text = JSON.stringify(report, null, 2) + '\n';
    } else {
      const color = colorFor(argv, output);
      const o: { color: boolean; t0?: number } = { color };
      if (run.firstTs !== undefined) o.t0 = run.firstTs;
      text = renderMcmpText(analysis, o);
    }
    out.write(text);
    return hasMcmpProblems(analysis) ? EXIT_FINDINGS : EXIT_OK;
  },
};
