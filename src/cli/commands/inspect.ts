import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import type { CaptureAnalyzer } from '../../inspect/index.js';
import { colorFor, runCapture } from '../io.js';
import { CAPTURE_OPTIONS } from '../options.js';
import { buildReport, captureInput, captureSection, renderCaptureText, type Report } from '../../report/index.js';
import { ajpCaptureAnalyzer } from '../../report/ajp.js';
import { ajpAnalyzerOptions } from './frames.js';
import { mcmpCaptureAnalyzer, parsePorts } from './mcmp.js';
import { diagnoseExitCode, logsSection, mainDialect, readLogEvents, renderFindingsText } from '../findings.js';
import { diagnose } from '../../rules/index.js';
import type { LogEvent, LogSummary } from '../../logs/index.js';
import type { CaptureEvidence } from '../../util/evidence.js';

/**
 * Analyzers the default command runs over the capture, besides the TCP summary. Each factory is
 * called once per run. (The AJP and MCMP stages register theirs here.)
 */
export const captureAnalyzers: Array<
  (argv: Record<string, unknown>) => CaptureAnalyzer<Report> & { renderText?: (color: boolean) => string; evidence?: () => CaptureEvidence[] }
> = [
  // JSON reports carry the stories (capture.connections[].events) of the first 100 AJP connections.
  (argv) => ajpCaptureAnalyzer({ ...ajpAnalyzerOptions(argv), ...(argv.format === 'json' ? { story: true, storyConnections: 100, eventLimit: 2000 } : {}) }),
  (argv) => mcmpCaptureAnalyzer(parsePorts(argv['mcmp-port'])),
];

/** `ajp-inspect capture.pcap`: the default command. */
export const inspectCommand: CliCommand = {
  command: ['$0 <capture>', 'inspect <capture>'],
  describe: 'summarise a capture: packets, TCP streams, AJP and MCMP',
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .example('ajp-inspect capture.pcap', 'summary, AJP connections and requests, MCMP, root causes')
      .example('ajp-inspect capture.pcap --ajp-port 18009 -T json -o report.json', 'JSON report for a support ticket')
      .example('ajp-inspect capture.pcap --log mod_jk.log', 'capture and log of the same incident, diagnosed together'),
  async run(argv, o, out) {
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin here.
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    if (source === '-' && process.stdin.isTTY === true) {
      throw new UserError('reading a capture from stdin, but stdin is a terminal: pipe a capture in, or give a file');
    }
    const { format, output, idle, failOn } = o;
    const logSources = o.logs;
    if (source === '-' && logSources.includes('-')) throw new UserError('stdin (-) can feed the capture or a log, not both');
    let logs: { events: LogEvent[]; summaries: LogSummary[] } | undefined;
    if (logSources.length) logs = await readLogEvents(logSources, o.logTz);

    const analyzers = captureAnalyzers.map((make) => make(argv));
    const run = await runCapture(source, { sinks: analyzers.map((a) => a.sink), idleThreshold: idle });

    const name = source === '-' ? 'stdin' : source;
    const warnings = run.warnings.map((w) => `${name}: ${w.message}`);
    for (const w of warnings) process.stderr.write(`ajp-inspect: warning: ${w}\n`);

    const report = buildReport({
      inputs: [captureInput(run, name)],
      warnings,
      capture: captureSection(run, name),
    });
    for (const a of analyzers) a.addTo(report, run);
    if (logs) for (const s of logs.summaries) report.inputs.push({ path: s.path === '-' ? 'stdin' : s.path, kind: 'log', format: mainDialect(s) });

    // Root causes: the rules engine over what the analyzers detected (and the logs, when given).
    const capture = analyzers.flatMap((a) => a.evidence?.() ?? []);
    const diagnosis = diagnose({ events: logs?.events ?? [], summaries: logs?.summaries ?? [], capture });
    for (const f of diagnosis.findings) for (const e of f.evidence) if (e.source === 'log' && e.path === '-') e.path = 'stdin';
    report.findings = diagnosis.findings;
    if (logs) report.logs = logsSection(logs.summaries, diagnosis, logs.events);

    let text: string;
    if (format === 'json') {
      text = JSON.stringify(report, null, 2) + '\n';
    } else {
      const color = colorFor(argv, output);
      text = renderCaptureText(captureSection(run, name), warnings, { color }) + analyzers.map((a) => a.renderText?.(color) ?? '').join('');
      text += diagnosis.findings.length
        ? `\nRoot causes:\n${renderFindingsText(diagnosis.findings, { color, width: process.stdout.columns }).join('\n')}\n`
        : '\nRoot causes: none found in this capture' + (logs ? ' and these logs' : '') + '.\n';
    }
    out.write(text);
    return diagnoseExitCode(diagnosis.findings, failOn);
  },
};
