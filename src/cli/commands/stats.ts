import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { UserError, EXIT_OK } from '../exit-codes.js';
import { textOrJson } from '../options.js';
import { textSources } from '../io.js';
import { readLogStream } from '../findings.js';
import { RequestStatsBuilder } from '../../logs/index.js';
import { renderStatsText } from '../../report/index.js';

/** `ajp-inspect stats LOG… | -`: requests, errors and latency per interval and per worker from access logs and JkRequestLog. */
export const statsCommand: CliCommand = {
  command: 'stats <log> [more..]',
  describe: 'request statistics from access logs / JkRequestLog: requests, 5xx, latency (mean, sd, median, p95, max) per minute and per worker',
  options: ['format', 'output', 'color', 'logTz', 'quiet'],
  reads: 'log',
  builder: (y) =>
    y
      .positional('log', { type: 'string', describe: 'access log, Tomcat access log or JkRequestLog (.gz allowed), or - for stdin' })
      .positional('more', { type: 'string', array: true, describe: 'more logs, counted together' })
      .option('interval', { type: 'number', default: 60, describe: 'seconds per row [default: 60]' })
      .example('ajp-inspect stats access_log tomcat_access_log.txt', 'per-minute status counts and latency')
      .example('ajp-inspect stats jk_request.log --interval 10 -T json', 'JkRequestLog per 10 s, as JSON'),
  async run(argv, o, out) {
    const sources = textSources(argv.log, argv.more, 'logs');
    const interval = Number(argv.interval ?? 60);
    if (!Number.isFinite(interval) || interval <= 0 || interval > 86_400) throw new UserError(`--interval must be a number of seconds between 1 and 86400, not ${String(argv.interval)}`);
    // Counted as the lines are read: no event is kept.
    const builder = new RequestStatsBuilder(Math.round(interval * 1000));
    await readLogStream(sources, o.logTz, (ev) => builder.add(ev));
    const stats = builder.result();
    const files = sources.map((s) => (s === '-' ? 'stdin' : s));
    if (textOrJson(o.format, 'stats') === 'json') out.write(JSON.stringify({ inputs: files, ...stats }, null, 2) + '\n');
    else out.write(renderStatsText(shown(stats), files));
    return EXIT_OK;
  },
};
