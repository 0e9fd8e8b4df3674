/**
 * Tomcat juli lines (catalina.out / catalina.<date>.log), about the AJP connector or anything else:
 *  - OneLineFormatter (org.apache.juli.OneLineFormatter.format): `dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] source message`;
 *    the thread in brackets is what 8.5.15+ prints, older formatters printed none or a bare name.
 *    `timeFormat` may change the stamp (ISO is common): any stamp parseStampText knows is accepted.
 *  - java.util.logging.SimpleFormatter, two lines: `Nov 21, 2026 10:00:00 AM class method` then
 *    `WARNING: message` (joined by the reader, see {@link tomcatLevelLine}).
 *  - a line quoted without its stamp: `SEVERE [main] org.apache.catalina… message` (E24).
 * Stack-trace lines that follow are appended by the reader.
 */
import type { LogEvent, LogLevel } from '../types.js';
import { parseStampText, stampMayStart } from '../stamp.js';
import { monthIndex } from '../time.js';
import { newEvent, type DialectParser, type DialectSample, type LineContext } from './common.js';

/**
 * java.util.logging level names, and the localised names the JDK prints in other default locales
 * (Level.getLocalizedName(), sun.util.logging.resources.logging_*): OneLineFormatter and
 * SimpleFormatter both print the localised one, so German or Japanese servers write
 * `WARNUNG`/`警告` where others write `WARNING`. Multi-word names (`AM FEINSTEN`) are left out.
 */
export const JUL_LEVELS: Readonly<Record<string, LogLevel>> = {
  SEVERE: 'error', WARNING: 'warn', INFO: 'info', CONFIG: 'info', FINE: 'debug', FINER: 'trace', FINEST: 'trace',
  // de
  SCHWERWIEGEND: 'error', WARNUNG: 'warn', INFORMATION: 'info', KONFIGURATION: 'info', FEIN: 'debug', FEINER: 'trace',
  // fr / es / it / pt
  GRAVE: 'error', AVERTISSEMENT: 'warn', INFOS: 'info', ADVERTENCIA: 'warn', 'INFORMACIÓN': 'info',
  AVVERTENZA: 'warn', 'ADVERTÊNCIA': 'warn', 'INFORMAÇÕES': 'info',
  // ja (致命的: SEVERE in the logging_ja resources of Java 5/6) / zh / ko
  '重大': 'error', '警告': 'warn', '情報': 'info', '致命的': 'error', '严重': 'error', '信息': 'info', '嚴重': 'error', '資訊': 'info',
  '심각': 'error', '경고': 'warn', '정보': 'info',
};
/**
 * log4j / logback / JBoss LogManager level names: JBoss and WildFly server.log
 * (`%d %-5p [%c] (%t) %s%e%n`), Spring Boot's embedded Tomcat (`%d  %5p %pid --- [%t] %logger : %m`),
 * log4j layouts of Tomcat itself. The container's lines, in another logger's layout.
 */
const JAVA_LEVELS: Readonly<Record<string, LogLevel>> = { FATAL: 'error', ERROR: 'error', WARN: 'warn', DEBUG: 'debug', TRACE: 'trace' };
const LEVEL_ALT = Object.keys(JUL_LEVELS).sort((a, b) => b.length - a.length).join('|');
const ANY_LEVEL_ALT = [...Object.keys(JUL_LEVELS), ...Object.keys(JAVA_LEVELS)].sort((a, b) => b.length - a.length).join('|');
const levelOf = (name: string): LogLevel | undefined => JUL_LEVELS[name] ?? JAVA_LEVELS[name];

const ONE_LINE = new RegExp(`^(.{8,40}?) +(${ANY_LEVEL_ALT}) +(.*)$`, 'u');
const NO_STAMP = new RegExp(`^(${LEVEL_ALT}) (\\[[^\\]]*\\] .*)$`, 'u');
/** SimpleFormatter's first line: `%1$tb %1$td, %1$tY %1$tl:%1$tM:%1$tS %1$Tp %2$s` (month and AM/PM localised). */
const SIMPLE_HEAD = /^(\p{L}{3,5}\.?) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: (\S{1,6}))? ([\w$]+(?:\.[\w$]+)+)(?: ([\w$<>]+))?\s*$/u;
/**
 * Whether a `,` stands where SIMPLE_HEAD has the one after the day: 3 to 5 letters (2 code units
 * each at most), a dot, a blank and 1 or 2 digits put it at index 5 to 14. Most lines starting with
 * a capital are no SimpleFormatter head (a syslog line, a bare message), and a few reads spare the
 * regex.
 */
function commaAfterDay(text: string): boolean {
  const n = Math.min(text.length - 1, 14);
  for (let i = 5; i <= n; i++) if (text.charCodeAt(i) === 44) return true;
  return false;
}
/** Afternoon markers of `%Tp` in the locales above (the rest are morning markers). */
const PM = new Set(['PM', 'NACHM.', 'NACHM', 'P.M.', '午後', '下午', '오후']);
const LEVEL_LINE = new RegExp(`^(${LEVEL_ALT}): (.*)$`, 'u');
const CLASS_NAME = /^[a-z][\w$]*(?:\.[\w$]+)+$/;

function setSource(ev: LogEvent, src: string): void {
  // OneLineFormatter prints `sourceClassName.sourceMethodName`, or the logger name when unknown.
  const dot = src.lastIndexOf('.');
  const last = src.slice(dot + 1);
  if (dot > 0 && /^[a-z<]/.test(last)) {
    ev.module = src.slice(0, dot);
    ev.source = { file: undefined, line: undefined, fn: last };
  } else {
    ev.module = src;
  }
}

const TX = {
  handler: /\["?((?:ajp|http)-(?:nio2?|apr|bio)-(?:([^"\]]+)-)?(\d+))"?\]/,
  connector: /Connector\[(AJP\/1\.3|HTTP\/1\.1)-(?:([^\]]+)-)?(\d+)\]/,
  signature: /signature \[(-?\d+)\]/,
  attribute: /attribute \[([^\]]+)\]/,
  headerLength: /length \[(\d+)\] received but the packetSize is only \[(\d+)\]/,
  version: /\b(Apache Tomcat\/\d+\.\d+\.\d+[\w.-]*)/,
};

/** Facts in Tomcat messages about AJP (AbstractProtocol, AjpProcessor, AjpMessage, Connector). */
export function tomcatFields(msg: string, f: Record<string, string | number>): void {
  let m: RegExpExecArray | null;
  if (msg.includes('-') && (m = TX.handler.exec(msg))) {
    f.handler = m[1];
    if (m[2] !== undefined) f.host = m[2];
    f.port = Number(m[3]);
  } else if (msg.includes('Connector[') && (m = TX.connector.exec(msg))) {
    f.handler = `${m[1]}-${m[3]}`;
    if (m[2] !== undefined) f.host = m[2];
    f.port = Number(m[3]);
  }
  if (msg.includes('signature [') && (m = TX.signature.exec(msg))) f.signature = Number(m[1]);
  if (msg.includes('attribute [') && (m = TX.attribute.exec(msg))) f.attribute = m[1];
  if (msg.includes('packetSize') && (m = TX.headerLength.exec(msg))) {
    f.size = Number(m[1]);
    f.packetSize = Number(m[2]);
  }
}

function finishRest(ev: LogEvent, rest: string): LogEvent {
  let r = rest;
  if (r.charCodeAt(0) === 91) {
    const e = r.indexOf('] ');
    if (e > 0) {
      ev.tid = r.slice(1, e);
      r = r.slice(e + 2);
    }
  } else {
    // Without brackets: `thread logger.method msg` when the second token is the class name.
    const s1 = r.indexOf(' ');
    const s2 = s1 > 0 ? r.indexOf(' ', s1 + 1) : -1;
    const t0 = s1 > 0 ? r.slice(0, s1) : r;
    const t1 = s1 > 0 ? r.slice(s1 + 1, s2 < 0 ? undefined : s2) : '';
    if (!CLASS_NAME.test(t0) && CLASS_NAME.test(t1)) {
      ev.tid = t0;
      r = r.slice(s1 + 1);
    }
  }
  const sp = r.indexOf(' ');
  const src = sp < 0 ? r : r.slice(0, sp);
  if (CLASS_NAME.test(src)) {
    setSource(ev, src);
    r = sp < 0 ? '' : r.slice(sp + 1);
  }
  ev.message = r.trimEnd();
  tomcatFields(ev.message, ev.fields);
  const v = ev.message.includes('Tomcat/') ? TX.version.exec(ev.message) : null;
  if (v) ev.version = v[1];
  return ev;
}

export function parseTomcat(text: string, ctx: LineContext): LogEvent | null {
  const c = text.charCodeAt(0);
  let m: RegExpExecArray | null;
  if ((c >= 65 && c <= 90) || c > 127) {
    if ((m = NO_STAMP.exec(text))) {
      const ev = newEvent('tomcat', text, '');
      ev.level = JUL_LEVELS[m[1]];
      return finishRest(ev, m[2]);
    }
    if (commaAfterDay(text) && (m = SIMPLE_HEAD.exec(text))) {
      const mo = monthIndex(m[1]);
      if (mo < 0) return null;
      let h = Number(m[4]);
      if (m[7] !== undefined) h = (h % 12) + (PM.has(m[7].toUpperCase()) ? 12 : 0);
      const ts = ctx.clock.toUtc(Number(m[3]), mo, Number(m[2]), h, Number(m[5]), Number(m[6]), 0);
      if (!Number.isFinite(ts)) return null;
      const ev = newEvent('tomcat', text, '');
      ev.ts = ts;
      ev.module = m[8];
      if (m[9] !== undefined) ev.source = { file: undefined, line: undefined, fn: m[9] };
      return ev; // level and message come on the next line
    }
    return null;
  }
  if (!(c >= 48 && c <= 57)) return null;
  // (the stamp is the line's start: a start no stamp has spares the regex, ~0.5 µs a line)
  if (!stampMayStart(text) || !(m = ONE_LINE.exec(text))) return null;
  const ts = parseStampText(m[1], ctx);
  if (ts === undefined) return null;
  const ev = newEvent('tomcat', text, '');
  ev.ts = ts;
  ev.level = levelOf(m[2]);
  return finishRest(ev, m[3]);
}

/**
 * Second line of the SimpleFormatter pair: completes `ev` (a head without level) and returns true.
 */
export function tomcatLevelLine(ev: LogEvent, line: string): boolean {
  if (ev.dialect !== 'tomcat' || ev.level !== undefined || ev.message !== '') return false;
  const m = LEVEL_LINE.exec(line);
  if (!m) return false;
  ev.level = JUL_LEVELS[m[1]];
  ev.message = m[2].trimEnd();
  ev.text = `${ev.text}\n${line}`;
  tomcatFields(ev.message, ev.fields);
  return true;
}

const STACK = /^(?:\s+\S|at |Caused by: |\.\.\. \d+ more|[a-z][\w$]*(?:\.[\w$]+)+(?:Exception|Error|Throwable)\b)/;
const EXCEPTION = /(?:^|Caused by: )\s*([a-z][\w$]*(?:\.[\w$]+)*\.[A-Z][\w$]*(?:Exception|Error))(?::|$)/;

/** A stack-trace or exception line that belongs to the Tomcat event before it. */
export function isTomcatContinuation(line: string): boolean {
  // (asked of every unrecognised line after a fragment: a first character none of STACK's
  // alternatives starts with — a blank, `a`…`z`, `C`, `.`, or beyond ASCII for `\s` — spares the regex call)
  const c = line.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || c === 67 || c === 46 || c === 32 || (c >= 9 && c <= 13) || c > 127)) return false;
  return STACK.test(line);
}

/**
 * How much of a stack trace one event keeps. Any indented line continues the event before it (STACK),
 * so a trace was appended without end: one `Caused by` chain of 640,000 levels (99 MB) held 748 MB.
 * Kept: the first MAX_TRACE_HEAD characters — every trace of the samples and fixtures is under
 * 2 KB, evidence quotes the first 4,096 (rules/engine.ts MAX_EVIDENCE_TEXT) — and, of the lines past
 * them, the last TRACE_TAIL_LINES (the root cause: Java prints the innermost `Caused by` last,
 * Throwable.printStackTrace) and before those the last TRACE_CAUSE_LINES that are no frame
 * (`Caused by:`, `Suppressed:`, a message), where the rules' patterns find the reason (BindException:
 * Address already in use, secretRequired, ClientAbortException: rules/signals.ts listenerFailureIn,
 * rules/causes/*). `fields.exception` and the AJP facts are read from every line, kept or not.
 */
export const MAX_TRACE_HEAD = 64 * 1024;
const TRACE_TAIL_LINES = 32;
const TRACE_CAUSE_LINES = 16;
/** Characters each of the two kept runs of lines past the head holds (its last line whatever its length). */
const TRACE_RUN_CHARS = 16 * 1024;
/** A frame (`at …`, `... 12 more`, logback's `... 12 common frames omitted`): no message of its own. */
const FRAME = /^\s*(?:at |\.\.\. \d+ (?:more|common frames omitted))/;

/** The lines of a trace past {@link MAX_TRACE_HEAD}: counted, and the few it keeps (see there). */
export interface TraceRest {
  /** Lines past the head. */
  lines: number;
  /** The last of them, in order. */
  tail: string[];
  tailChars: number;
  /** The last lines before `tail` that are no frame, in order. */
  causes: string[];
  causesChars: number;
}

/** Appends `line` to a run of kept lines, dropping its first lines past `max` lines or TRACE_RUN_CHARS; returns what it dropped. */
function keepLast(run: string[], chars: number, line: string, max: number, dropped: string[]): number {
  run.push(line);
  chars += line.length;
  while (run.length > max || (chars > TRACE_RUN_CHARS && run.length > 1)) {
    const first = run.shift()!;
    chars -= first.length;
    dropped.push(first);
  }
  return chars;
}

/**
 * Appends a stack-trace line; the innermost `Caused by` exception class becomes `fields.exception`.
 * Past MAX_TRACE_HEAD the line goes to `rest` (made on the first such line, and returned: the caller
 * holds it for the event and hands it to {@link finishTomcatTrace} when the event is complete).
 */
export function appendTomcatContinuation(ev: LogEvent, line: string, rest?: TraceRest): TraceRest | undefined {
  const t = line.trim();
  if (rest === undefined && ev.text.length + 1 + line.length <= MAX_TRACE_HEAD) {
    ev.text = `${ev.text}\n${line}`;
    ev.message = `${ev.message}\n${t}`;
  } else {
    rest ??= { lines: 0, tail: [], tailChars: 0, causes: [], causesChars: 0 };
    rest.lines++;
    const out: string[] = [];
    rest.tailChars = keepLast(rest.tail, rest.tailChars, line, TRACE_TAIL_LINES, out);
    for (const l of out) if (!FRAME.test(l)) rest.causesChars = keepLast(rest.causes, rest.causesChars, l, TRACE_CAUSE_LINES, []);
  }
  const m = EXCEPTION.exec(t);
  if (m && (t.startsWith('Caused by: ') || ev.fields.exception === undefined)) ev.fields.exception = m[1];
  tomcatFields(t, ev.fields);
  return rest;
}

/** The event's text and message with what `rest` kept of the lines past the head, and how many it left out. */
export function finishTomcatTrace(ev: LogEvent, rest: TraceRest): void {
  const kept = [...rest.causes, ...rest.tail];
  const left = rest.lines - kept.length;
  const note = left > 0 ? `[${left} line${left === 1 ? '' : 's'} of this trace not kept by ajp-inspect: it keeps a trace's first ${MAX_TRACE_HEAD / 1024} KB, its last ${TRACE_TAIL_LINES} lines and the exception lines before them]` : undefined;
  const text = [ev.text];
  const message = [ev.message];
  if (note !== undefined) {
    text.push(`\t${note}`);
    message.push(note);
  }
  for (const l of kept) {
    text.push(l);
    message.push(l.trim());
  }
  ev.text = text.join('\n');
  ev.message = message.join('\n');
}

const samples: DialectSample[] = [
  {
    source: 'real-log-excerpts.md E22 (Tomcat 9 docker image, OneLineFormatter)',
    line: '07-Mar-2020 10:39:36.079 INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler ["ajp-nio-127.0.0.1-8009"]',
    expect: {
      dialect: 'tomcat', ts: '2020-03-07T10:39:36.079Z', level: 'info', tid: 'main', module: 'org.apache.coyote.AbstractProtocol',
      source: { fn: 'start' }, message: 'Starting ProtocolHandler ["ajp-nio-127.0.0.1-8009"]',
      fields: { handler: 'ajp-nio-127.0.0.1-8009', host: '127.0.0.1', port: 8009 },
    },
  },
  {
    source: 'real-log-excerpts.md E22',
    line: '07-Mar-2020 10:39:36.074 INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler ["http-nio-8080"]',
    expect: { dialect: 'tomcat', fields: { handler: 'http-nio-8080', port: 8080 } },
  },
  {
    source: 'real-log-excerpts.md E24 (Tomcat 8.5.51, stamp cut by the document)',
    line: 'SEVERE [main] org.apache.catalina.core.StandardService.startInternal Failed to start connector [Connector[AJP/1.3-8009]]',
    expect: {
      dialect: 'tomcat', ts: null, level: 'error', tid: 'main', module: 'org.apache.catalina.core.StandardService',
      source: { fn: 'startInternal' }, fields: { handler: 'AJP/1.3-8009', port: 8009 },
    },
  },
  {
    source: 'Tomcat AjpMessage.processHeader (ajp13-reference.md §4), OneLineFormatter 8.5.15+',
    line: '21-Nov-2026 10:00:00.123 SEVERE [ajp-nio-8009-exec-1] org.apache.coyote.ajp.AjpMessage.processHeader Invalid message received with signature [18245]',
    expect: { dialect: 'tomcat', level: 'error', tid: 'ajp-nio-8009-exec-1', module: 'org.apache.coyote.ajp.AjpMessage', fields: { signature: 18245 } },
  },
  {
    source: 'OneLineFormatter before the thread brackets (bare thread name)',
    line: '21-Nov-2016 10:00:00.123 WARNING ajp-bio-8009-exec-3 org.apache.coyote.ajp.AjpProcessor.process Error parsing request',
    expect: { dialect: 'tomcat', level: 'warn', tid: 'ajp-bio-8009-exec-3', module: 'org.apache.coyote.ajp.AjpProcessor', source: { fn: 'process' } },
  },
  {
    source: 'OneLineFormatter on a German-locale JVM (level name from the JDK logging_de resources, constructed)',
    line: '21-Nov-2026 10:00:00.123 WARNUNG [ajp-nio-8009-exec-1] org.apache.coyote.ajp.AjpProcessor.prepareRequest Rejecting request due to unknown request attribute [foo]',
    expect: { dialect: 'tomcat', ts: '2026-11-21T10:00:00.123Z', level: 'warn', tid: 'ajp-nio-8009-exec-1', fields: { attribute: 'foo' } },
  },
  {
    source: 'OneLineFormatter on a French-locale JVM (month `mars`, level `INFOS`; constructed)',
    line: '07-mars-2020 10:39:36.079 INFOS [main] org.apache.coyote.AbstractProtocol.start Démarrage du gestionnaire de protocole ["ajp-nio-8009"]',
    expect: { dialect: 'tomcat', ts: '2020-03-07T10:39:36.079Z', level: 'info', fields: { handler: 'ajp-nio-8009', port: 8009 } },
  },
  {
    source: 'java.util.logging.SimpleFormatter first line (Tomcat 6/7 catalina.out)',
    line: 'Nov 21, 2012 10:00:00 PM org.apache.coyote.AbstractProtocol start',
    expect: { dialect: 'tomcat', ts: '2012-11-21T22:00:00.000Z', module: 'org.apache.coyote.AbstractProtocol', source: { fn: 'start' } },
  },
];

export const tomcatParser: DialectParser = {
  name: 'tomcat',
  parse: parseTomcat,
  samples,
};
