import { GuardedLines, shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { UserError, EXIT_OK } from '../exit-codes.js';
import { textOrJson, TEXT_OR_JSON } from '../options.js';
import { textSources } from '../io.js';
import { readLogStream } from '../findings.js';
import { RequestStatsBuilder, type RequestBucket } from '../../logs/index.js';
import { statsJsonChunks, statsTextLines } from '../../report/index.js';

function* map<T, U>(items: Iterable<T>, f: (x: T) => U): Generator<U> {
  for (const x of items) yield f(x);
}

/** `ajp-inspect stats LOG… | -`: requests, errors and latency per interval and per worker from access logs and JkRequestLog. */
export const statsCommand: CliCommand = {
  command: 'stats <log> [more..]',
  describe: 'request statistics from access logs / JkRequestLog: requests, 5xx, latency (mean, sd, median, p95, max) per minute and per worker',
  options: ['format', 'output', 'color', 'logTz', 'quiet'],
  formats: TEXT_OR_JSON,
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
    // Written as the rows are made, each dropped once written: a row per minute of a year of logs
    // is 525,600 rows (the report made whole, 125,000 rows took 1.5 GB).
    const stats = builder.rows();
    const files = sources.map((s) => (s === '-' ? 'stdin' : s));
    const lines = new GuardedLines(out);
    if (textOrJson(o.format, 'stats') === 'json') for (const chunk of statsJsonChunks(files, stats)) lines.push(chunk);
    else {
      // (shown: each bucket as the renderer's input, and each worker's name: the table's widths are
      // measured on the cells, so a name redacted only when the line is printed (guardText) shifted
      // that row's columns against the others)
      const rows = shown(stats);
      const each = { ...rows, intervals: () => map(stats.intervals(), shown), workers: () => map(stats.workers(), ([name, b]): [string, RequestBucket] => [shown(name), shown(b)]) };
      for (const line of statsTextLines(each, files)) lines.push(`${line}\n`);
    }
    lines.flush();
    return EXIT_OK;
  },
};
