import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { colorFor } from '../io.js';
import { CAPTURE_DESCRIBE, CAPTURE_OPTIONS, CAPTURE_POSITIONAL, MORE_CAPTURES_DESCRIBE } from '../options.js';
import { captureReportModel, rendererFor } from '../../report/index.js';
import { diagnoseExitCode, logsSection, mainDialect, readLogInput, type LogInput } from '../findings.js';
import { analysisOptions, analyzeAndDiagnose, captureSources } from '../analysis.js';
import { configInputs } from '../configs.js';

/** `ajp-inspect capture.pcap`: the default command. */
export const inspectCommand: CliCommand = {
  command: [`$0 ${CAPTURE_POSITIONAL}`, `inspect ${CAPTURE_POSITIONAL}`],
  describe: 'summarise a capture: packets, TCP streams, AJP and MCMP',
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: CAPTURE_DESCRIBE })
      .positional('more', { type: 'string', array: true, describe: MORE_CAPTURES_DESCRIBE })
      .example('ajp-inspect capture.pcap', 'summary, AJP connections and requests, MCMP, root causes')
      .example('ajp-inspect capture.pcap --ajp-port 18009 -T json -o report.json', 'JSON report for a support ticket')
      .example('ajp-inspect capture.pcap --log mod_jk.log', 'capture and log of the same incident, diagnosed together'),
  async run(argv, o, out) {
    const sources = captureSources(argv);
    const { format, output } = o;
    const options = analysisOptions(o);
    const failLevel = o.failOn;
    const logSources = o.logs;
    if (sources.includes('-') && logSources.includes('-')) throw new UserError('stdin (-) can feed the capture or a log, not both');
    let logs: LogInput | undefined;
    if (logSources.length) logs = await readLogInput(logSources, o.logTz);
    // JSON reports carry the stories (capture.connections[].events) of the first 100 AJP connections.
    const renderer = rendererFor(format);
    if (renderer.wantsStories) options.ajp = { story: true, storyConnections: 100, eventLimit: 2000 };
    // Root causes: the rules engine over what the verticals detected (and the logs, when given).
    const { analysis, name, diagnosis, config } = await analyzeAndDiagnose(sources, o, options, {}, logs);
    const parts: Parameters<typeof captureReportModel>[0] = { name, analysis, findings: diagnosis.findings };
    if (logs) {
      parts.logInputs = logs.summaries.map((s) => ({ path: s.path === '-' ? 'stdin' : s.path, kind: 'log' as const, format: mainDialect(s) }));
      parts.logs = logsSection(logs.summaries, diagnosis, logs.intake.count);
    }
    if (config) parts.logInputs = [...(parts.logInputs ?? []), ...configInputs(config)];
    const model = captureReportModel(parts);
    // the clock alignment's warnings (logs of another time, a wrong --log-tz) belong with the inputs'
    model.warnings.push(...(diagnosis.clock?.warnings ?? []));
    const ro = { color: colorFor(argv, output), width: process.stdout.columns };
    // Streamed when the renderer can (JSON): a large report is never one string.
    if (renderer.writeCapture !== undefined) renderer.writeCapture(model, ro, (t) => out.write(t));
    else out.write(renderer.capture(shown(model), ro));
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
