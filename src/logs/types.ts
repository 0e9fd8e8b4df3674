/**
 * Log dialects the parsers recognise. `access` = Common/Combined Log Format lines (httpd
 * access_log, Tomcat AccessLogValve): read so they are not reported as unrecognised, and for the
 * status codes clients got; rules about AJP do not need them. `fragment` = text of no known layout
 * (a bare message, an exception, a wrapped or unknown layout) that names a message the rules know:
 * no time, level or process, only the words.
 */
export type LogDialect = 'modjk' | 'isapi' | 'jk-request' | 'httpd' | 'tomcat' | 'access' | 'fragment';

export type LogLevel = 'trace' | 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'crit' | 'alert' | 'emerg';

/**
 * One log line (or one logical line re-joined from a mail-wrapped paste), normalised.
 * `fields` holds what the message says in structured form; names are fixed so rules can rely on them:
 *  backend ("host:port"), host, port, socket (fd number), errno, apr (APR status code), ajpType
 *  (AJP prefix code received), bytes, status (HTTP status), worker, ah (httpd AH code, e.g. "AH01030"),
 *  client ("ip:port"), uri, attribute, timeoutMs, slots, ...
 */
export interface LogEvent {
  path: string;
  /** 1-based line number in the input (of the first physical line). */
  line: number;
  /** The original text (after de-quoting/ANSI stripping/unwrapping), for evidence. */
  text: string;
  dialect: LogDialect;
  /** UTC epoch milliseconds (with fraction when the log had µs); undefined when the line had no stamp. */
  ts?: number;
  level?: LogLevel;
  pid?: number;
  tid?: string;
  /** Source location in the logging program, e.g. { file: 'jk_ajp_common.c', line: 1355, fn: 'ajp_connection_tcp_get_message' }. */
  source?: { file?: string; line?: number; fn?: string };
  /** mod_jk 1.2.41+ `(worker)` prefix, or the worker named in the message. */
  worker?: string;
  /** mod_jk 1.2.49+ `[request-id]`. */
  requestId?: string;
  /** httpd module tag (`proxy_ajp`, `proxy`, `jk` ...) or Tomcat logger name. */
  module?: string;
  /** The message text after the prefix (stamp, level, pid, source). */
  message: string;
  fields: Record<string, string | number>;
  /** Software version if the line reveals it (e.g. "mod_jk/1.2.48"). */
  version?: string;
}

export interface LogSummary {
  path: string;
  lines: number;
  byDialect: Partial<Record<LogDialect, number>>;
  unrecognised: number;
  /** Up to a few examples of unrecognised lines (line number + text), for the summary. */
  unrecognisedSamples: { line: number; text: string }[];
  firstTs?: number;
  lastTs?: number;
  /**
   * Set when the input is not text (NUL bytes at its start, or a capture's magic): what it looks
   * like (`pcap capture`, `pcapng capture`, `binary data`). Nothing of it was read as lines.
   */
  binary?: string;
  /** Set when the input ends before its end (a .gz cut short): what happened; the lines before the cut were read. */
  cut?: string;
  /** Highest log detail seen: mod_jk debug lines present? */
  levels: Partial<Record<LogLevel, number>>;
}
