import { shown } from '../output.js';
import { writeJson } from '../../util/json-stream.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { renderStory } from '../../timeline/index.js';
import { CAPTURE_OPTIONS, textOrJson } from '../options.js';
import { formatTime } from '../../util/clock.js';
import { diagnoseExitCode } from '../findings.js';
import { analysisOptions, analyze, captureName, captureSources, closingLines, configFacts, diagnoseAnalysis, printWarnings } from '../analysis.js';

/** `ajp-inspect timeline capture.pcap [--conn N]`: each AJP connection's story, line by line. */
export const timelineCommand: CliCommand = {
  command: 'timeline <capture>',
  describe: "tell each AJP connection's story: requests, body rounds, CPing/CPong, idle periods, TCP events, violations",
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .option('conn', { type: 'number', describe: 'only this connection (its tcp.stream number, as in Wireshark)' })
      .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: "each request's headers, attributes and response headers" })
      .option('max-events', { type: 'number', default: 5000, describe: 'story lines kept per connection, the rest counted [default: 5000]' }),
  async run(argv, o, out) {
    const sources = captureSources(argv);
    const options = analysisOptions(o);
    const failLevel = o.failOn;
    const fmt = o.timeFormat;
    const conn = argv.conn === undefined ? undefined : Number(argv.conn);
    if (conn !== undefined && (!Number.isInteger(conn) || conn < 0)) throw new UserError(`--conn must be a tcp.stream number, not ${String(argv.conn)}`);
    const maxEvents = Number(argv['max-events'] ?? 5000);
    options.ajp = {
      story: conn === undefined ? true : new Set([conn]),
      eventLimit: Number.isFinite(maxEvents) && maxEvents >= 0 ? maxEvents : 5000,
      cycleLimit: 100000,
      releasedCycleLimit: conn === undefined ? 1000 : 100000,
      // The timeline is the full dump the user asked for: no budget over all connections.
      connectionLimit: Infinity,
      cycleBudget: Infinity,
      storyEventBudget: Infinity,
    };
    const config = configFacts(o);
    const analysis = await analyze(sources, options);
    const name = captureName(sources);
    printWarnings(analysis, name);
    const diagnosis = diagnoseAnalysis(analysis, undefined, config);
    const r = analysis.sections.ajp;
    const list = conn === undefined ? r.connectionList : r.connectionList.filter((c) => c.stream === conn);
    if (conn !== undefined && list.length === 0) {
      const known = r.connectionList.map((c) => c.stream).join(', ') || 'none';
      throw new UserError(`no AJP connection with tcp.stream ${conn} (AJP streams: ${known})`);
    }
    if (textOrJson(o.format, 'timeline') === 'json') {
      writeJson({ connections: list, findings: diagnosis.findings, notices: analysis.notices }, (t) => out.write(t));
    } else {
      // Event times as tshark -t shows them: by default relative to the capture's first packet.
      const t0 = analysis.run.firstTs ?? 0;
      const time = (ts: number) => formatTime(ts, fmt, t0);
      const stories = shown(list).map((c) => renderStory(c, argv.verbose === true, time)).join('\n');
      out.write(stories + (stories !== '' ? '\n' : '') + closingLines(diagnosis.findings, analysis.notices, name));
    }
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
