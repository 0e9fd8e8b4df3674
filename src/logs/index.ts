/**
 * logs/ — public surface: log lines of mod_jk, the ISAPI redirector, JkRequestLog, httpd 2.2/2.4
 * error_log and Tomcat juli → normalised {@link LogEvent}s, auto-detected per line (mixed files are
 * fine), with UTC timestamps.
 *
 * For rules/ (contract, see types.ts):
 *  - `event.message` is the text after the prefix (stamp, level, pid, source); for mod_jk it still
 *    starts with the `(worker) ` prefix when there is one, exactly as printed, so rules can match the
 *    catalogue wordings of every version; `event.worker` holds that worker.
 *  - httpd: `message` is after `AHnnnnn: ` (code in `fields.ah`), the `(N)text: ` status is in
 *    `fields.apr` (+ `fields.errno` when it is an OS errno, `fields.aprText`), `[client …]` in
 *    `fields.client`, `, referer: …` in `fields.referer` and removed from `message`.
 *  - Tomcat: `module` = class (logger), `source.fn` = method, `tid` = thread name; stack-trace lines are
 *    appended to `message` and `text` after `\n`, the innermost exception class in `fields.exception`.
 *  - Field names used (all optional): backend ("host:port" as printed: `[::1]:8009`), host, port,
 *    local, socket, errno, apr, aprText, ajpType, bytes, seconds, expected, status, serviceError,
 *    worker, route, balancer, ah, client, remote, referer, uri, method, attribute, timeoutMs, slots,
 *    slot, attempt, retry, retries, magic (bad AJP signature, 0x4854 = "HT"), event, size, packetSize,
 *    retrySec, busyLimit, handler, signature (Tomcat's decimal), exception, method, seconds.
 *  - `dialect` 'isapi' is given to every jk line of a file that shows ISAPI markers anywhere
 *    (jk_isapi_plugin.c, ISAPI request ids, isapi_redirect version); otherwise jk lines are 'modjk'.
 *  - Lines a mail client wrapped are re-joined (the event's `line` is the first physical line; its
 *    `text` the joined text). Unrecognised lines are only counted and sampled in the summary.
 *  - Speed: jk events are `JkLogEvent` instances whose `fields` and `source` are computed on first
 *    read, and whose `text`, `message` and `ts` are accessors over a compact form (the event points
 *    into its input chunk; the stamp is a small integer): one heap object per kept event, no more.
 *    `JSON.stringify` includes them all via toJSON; a `{...ev}` spread does not.
 *    `source` objects and empty `fields` are shared and frozen: treat events as read-only.
 *  - Big inputs: `streamLogs(sources, opts, onEvent)` (several sources merged by time as they are
 *    read), `streamLog(path, lineContext(opts), onEvent)` or `new LogLineReader(path, ctx, onEvent)`
 *    hand events over one at a time and keep none (flat memory); an event handed over may point
 *    into its input chunk: `keepEvent(ev)` is the copy to keep past the call. `readLogs` /
 *    `parseLogText` keep all.
 */
import type { LogEvent, LogSummary } from './types.js';
import type { KnownMessage, LineContext } from './dialects/common.js';
import { zoneClock } from './time.js';
import { LogLineReader } from './reader.js';
import { mergeByTime, mergeStreams, ReadMeter, readOne, totalSize, type ReadLogsOptions } from './read.js';

export type { LogDialect, LogEvent, LogLevel, LogSummary } from './types.js';
export type { DialectParser, DialectSample, KnownMessage, LineContext } from './dialects/common.js';
export { zoneClock, type ZoneClock } from './time.js';
export { statedOffsets, statedZone } from './zone.js';
export { cleanLine, parseLine, stripLineNumber } from './line.js';
export { LogLineReader } from './reader.js';
export { keepEvent, ownString } from './keep.js';
export { feedStream, mergeByTime, streamLog, type LogProgress, type ReadLogsOptions } from './read.js';
export { modjkParser, jkRequestParser } from './dialects/modjk.js';
export { httpdParser } from './dialects/httpd.js';
export { tomcatParser } from './dialects/tomcat.js';
export { accessParser } from './dialects/access.js';
export { requestStats, RequestStatsBuilder, durationMs, statsRows, type RequestStats, type RequestStatsRows, type RequestBucket, type LatencySummary } from './stats.js';

import { modjkParser, jkRequestParser, JkLogEvent } from './dialects/modjk.js';
import { httpdParser } from './dialects/httpd.js';
import { tomcatParser } from './dialects/tomcat.js';
import { accessParser } from './dialects/access.js';
import type { DialectParser } from './dialects/common.js';

/** Every dialect parser with its samples (the ISAPI redirector shares the mod_jk parser). */
export const dialectParsers: readonly DialectParser[] = [modjkParser, jkRequestParser, httpdParser, tomcatParser, accessParser];

/**
 * `test` over an event's message (`message ?? text`) where it lies: a jk line's in its line or input
 * chunk (`text[from..to)`, trailing blanks included), without making its string.
 */
export function messageTest(ev: LogEvent, test: (text: string, from: number, to: number) => boolean): boolean {
  if (ev instanceof JkLogEvent) return ev.messageTest(test);
  const m = ev.message ?? ev.text;
  return test(m, 0, m.length);
}

/**
 * The worker the event's fields name (`fields.worker`), asked of an event whose `worker` is unset.
 * A jk line's fields then name none: its `worker` is read (modjk.ts fill, jkWorkerNamed) with the
 * same expressions, in the same order, as `fields.worker` (fields.ts jkFields), so its fields are not
 * read for it (all of a line's fields, ~0.8 µs, for every refused connect of an outage log).
 */
export function fieldsWorker(ev: LogEvent): string | number | undefined {
  if (ev instanceof JkLogEvent) return ev.worker;
  return ev.fields?.worker;
}

/** Builds the per-line context: `tz` is an IANA zone or ±hh:mm (default: the machine's zone). */
export function lineContext(opts: { tz?: string; now?: number; knownMessage?: KnownMessage } = {}): LineContext {
  const ctx: LineContext = { clock: zoneClock(opts.tz), now: opts.now ?? Date.now() };
  if (opts.knownMessage !== undefined) ctx.knownMessage = opts.knownMessage;
  return ctx;
}

/** Parses a whole text (a paste, a file already in memory). */
export function parseLogText(
  text: string,
  opts: { path: string; tz?: string; now?: number; knownMessage?: KnownMessage },
): { events: LogEvent[]; summary: LogSummary } {
  const reader = new LogLineReader(opts.path, lineContext(opts));
  let start = 0;
  const len = text.length;
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  // CR-only line ends (classic Mac OS, some pastes): no LF at all, CRs: each CR ends a line.
  const eol = text.indexOf('\n') < 0 && text.indexOf('\r') >= 0 ? '\r' : '\n';
  while (start < len) {
    let nl = text.indexOf(eol, start);
    if (nl < 0) nl = len;
    reader.push(text.slice(start, nl), text, start);
    start = nl + 1;
  }
  const events = reader.end();
  return { events, summary: reader.summary };
}

/**
 * Reads files and/or stdin (`-`), .gz transparently. Events of all sources are merged by time
 * (each source keeps its own order; stamp-less events stay with their neighbours).
 * I/O errors (missing file…) reject the promise; bad lines never do.
 */
export async function readLogs(
  sources: string[],
  opts: ReadLogsOptions = {},
): Promise<{ events: LogEvent[]; summaries: LogSummary[] }> {
  const ctx = lineContext(opts);
  const lists: LogEvent[][] = [];
  const summaries: LogSummary[] = [];
  for (const src of sources) {
    const { events, summary } = await readOne(src, ctx, opts.stdin);
    lists.push(events);
    summaries.push(summary);
  }
  // One source: its events are already in order, and the list is ours (no copy).
  return { events: lists.length === 1 ? lists[0] : mergeByTime(lists), summaries };
}

/**
 * Reads files and/or stdin (`-`) as {@link readLogs} does, handing each event to `onEvent` in the
 * same order (merged by time) as soon as it is complete; nothing is kept (flat memory in the number
 * of lines). Resolves to the summaries, one per source.
 */
export function streamLogs(sources: readonly string[], opts: ReadLogsOptions, onEvent: (ev: LogEvent) => void): Promise<LogSummary[]> {
  const meter = opts.onProgress === undefined ? undefined : new ReadMeter(opts.onProgress, totalSize(sources));
  return mergeStreams(sources, lineContext(opts), onEvent, opts.stdin, meter);
}
