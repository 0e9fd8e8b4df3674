import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { colorFor, writeOutput, type Format } from '../io.js';
import { captureReportModel, renderReportText, reportJson } from '../../report/index.js';
import { ajpOptions } from './frames.js';
import { diagnoseExitCode, logsSection, mainDialect, readLogEvents } from '../findings.js';
import type { LogEvent, LogSummary } from '../../logs/index.js';
import { analysisOptions, analyze, captureName, captureSources, diagnoseAnalysis, failOn, printWarnings } from '../analysis.js';

/** `ajp-inspect capture.pcap`: the default command. */
export const inspectCommand: CliCommand = {
  command: ['$0 <capture> [more..]', 'inspect <capture> [more..]'],
  describe: 'summarise a capture: packets, TCP streams, AJP and MCMP',
  builder: (y) =>
    ajpOptions(y)
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .positional('more', { type: 'string', array: true, describe: 'more files of the same capture (a tcpdump -C / -G rotation), read as one in time order' })
      .option('format', { alias: 'T', choices: ['text', 'json'] as const, default: 'text', describe: 'report format' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
      .option('idle', { type: 'number', default: 30, describe: 'seconds of silence on a connection reported as an idle period' })
      .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto', describe: 'colours in text output (NO_COLOR respected)' })
      .option('mcmp-port', { type: 'string', array: true, describe: 'also take requests with unknown methods to this port as mod_cluster MCMP' })
      .option('log', { type: 'string', array: true, describe: 'mod_jk / httpd / Tomcat log of the same incident (repeatable): diagnosed together with the capture' })
      .option('log-tz', { type: 'string', describe: "with --log: time zone of the log stamps, IANA name or ±hh:mm (default: this machine's zone)" })
      .option('fail-on', {
        choices: ['error', 'warning', 'info'] as const,
        default: 'warning',
        describe: 'exit 1 when a root-cause finding has at least this severity',
      })
      .example('ajp-inspect capture.pcap', 'summary, AJP connections and requests, MCMP, root causes')
      .example('ajp-inspect capture.pcap --ajp-port 18009 -T json -o report.json', 'JSON report for a support ticket')
      .example('ajp-inspect capture.pcap --log mod_jk.log', 'capture and log of the same incident, diagnosed together'),
  async run(argv) {
    const sources = captureSources(argv);
    const format = (argv.format ?? 'text') as Format;
    const output = argv.output === undefined ? undefined : String(argv.output);
    const options = analysisOptions(argv);
    const failLevel = failOn(argv);
    const logSources = ((argv.log as string[] | undefined) ?? []).map((l) => (l === '' ? '-' : String(l)));
    if (sources.includes('-') && logSources.includes('-')) throw new UserError('stdin (-) can feed the capture or a log, not both');
    let logs: { events: LogEvent[]; summaries: LogSummary[] } | undefined;
    if (logSources.length) logs = await readLogEvents(logSources, argv['log-tz'] === undefined ? undefined : String(argv['log-tz']));

    // JSON reports carry the stories (capture.connections[].events) of the first 100 AJP connections.
    if (format === 'json') options.ajp = { story: true, storyConnections: 100, eventLimit: 2000 };
    const analysis = await analyze(sources, options);
    const name = captureName(sources);
    printWarnings(analysis, name);

    // Root causes: the rules engine over what the verticals detected (and the logs, when given).
    const diagnosis = diagnoseAnalysis(analysis, logs);
    const parts: Parameters<typeof captureReportModel>[0] = { name, analysis, findings: diagnosis.findings };
    if (logs) {
      parts.logInputs = logs.summaries.map((s) => ({ path: s.path === '-' ? 'stdin' : s.path, kind: 'log' as const, format: mainDialect(s) }));
      parts.logs = logsSection(logs.summaries, diagnosis, logs.events);
    }
    const model = captureReportModel(parts);
    const text =
      format === 'json'
        ? JSON.stringify(reportJson(model), null, 2) + '\n'
        : renderReportText(model, { color: colorFor(argv, output), width: process.stdout.columns });
    await writeOutput(text, output);
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
