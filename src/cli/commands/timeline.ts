import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../exit-codes.js';
import { AjpAnalyzer, renderStory } from '../../timeline/index.js';
import { hasErrors, runAjp } from './frames.js';
import { CAPTURE_OPTIONS } from '../options.js';

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
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin.
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    const opts = { ajpPorts: o.ajpPorts, packetSize: o.packetSize, showSecrets: o.showSecrets };
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
    if (o.format === 'json') {
      out.write(JSON.stringify({ connections: list }, null, 2) + '\n');
    } else if (list.length === 0) {
      out.write(`no AJP13 connection found (ports ${opts.ajpPorts.join(', ')}, or by content); try --ajp-port\n`);
    } else {
      out.write(list.map((c) => renderStory(c, argv.verbose === true)).join('\n'));
    }
    return hasErrors({ ...r, connectionList: list }) ? EXIT_FINDINGS : EXIT_OK;
  },
};
