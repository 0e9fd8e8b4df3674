import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../exit-codes.js';
import { AjpAnalyzer, renderStory } from '../../timeline/index.js';
import { ajpAnalyzerOptions, ajpOptions, hasErrors, runAjp } from './frames.js';

/** `ajp-inspect timeline capture.pcap [--conn N]`: each AJP connection's story, line by line. */
export const timelineCommand: CliCommand = {
  command: 'timeline <capture>',
  describe: "tell each AJP connection's story: requests, body rounds, CPing/CPong, idle periods, TCP events, violations",
  builder: (y) =>
    ajpOptions(
      y
        .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
        .option('conn', { type: 'number', describe: 'only this connection (its tcp.stream number, as in Wireshark)' })
        .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: "each request's headers, attributes and response headers" })
        .option('format', { alias: 'T', choices: ['text', 'json'] as const, default: 'text', describe: 'output format' })
        .option('max-events', { type: 'number', default: 5000, describe: 'story lines kept per connection (the rest is counted)' }),
    ),
  async run(argv) {
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin.
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    const opts = ajpAnalyzerOptions(argv);
    const conn = argv.conn === undefined ? undefined : Number(argv.conn);
    if (conn !== undefined && (!Number.isInteger(conn) || conn < 0)) throw new UserError(`--conn must be a tcp.stream number, not ${String(argv.conn)}`);
    const maxEvents = Number(argv['max-events'] ?? 5000);
    const analyzer = new AjpAnalyzer({
      ...opts,
      story: conn === undefined ? true : new Set([conn]),
      eventLimit: Number.isFinite(maxEvents) && maxEvents >= 0 ? maxEvents : 5000,
      cycleLimit: 100000,
      releasedCycleLimit: conn === undefined ? 1000 : 100000,
    });
    await runAjp(source, analyzer);
    const r = analyzer.result();
    const list = conn === undefined ? r.connectionList : r.connectionList.filter((c) => c.stream === conn);
    if (conn !== undefined && list.length === 0) {
      const known = r.connectionList.map((c) => c.stream).join(', ') || 'none';
      throw new UserError(`no AJP connection with tcp.stream ${conn} (AJP streams: ${known})`);
    }
    if (argv.format === 'json') {
      process.stdout.write(JSON.stringify({ connections: list }, null, 2) + '\n');
    } else if (list.length === 0) {
      process.stdout.write(`no AJP13 connection found (ports ${opts.ajpPorts!.join(', ')}, or by content); try --ajp-port\n`);
    } else {
      process.stdout.write(list.map((c) => renderStory(c, argv.verbose === true)).join('\n'));
    }
    return hasErrors({ ...r, connectionList: list }) ? EXIT_FINDINGS : EXIT_OK;
  },
};
