/**
 * Configuration quoted inside a paste. People post what they have in one text: a few lines of prose,
 * their workers.properties, the `<Connector …/>` of server.xml, a `JkMount` or `ProxyPass`, and the
 * log lines (a forum question, a ticket, a chat). Read as a whole such a text is neither a log nor
 * a configuration; `configFragments` finds the configuration in it, per kind, each as the text a
 * parser reads: the lines that belong to that kind where they stand, every other line blank, so that
 * line numbers (the evidence `stdin:5`) are those of the paste.
 *
 * Lines are classified as detect.ts classifies them (`configLineKind`), under the wrappers a paste
 * puts on quoted text (indentation, `> ` mail quotes, a line that is one Markdown inline code span). httpd directives are common words (`User`,
 * `Options`, `Include`, `Listen`, `Order`) that also start sentences, so an httpd line counts only in
 * a block (lines between blank lines or code fences) that holds a directive no prose starts with: a
 * `Jk…`, `Proxy…` or `Balancer…` directive, a section (`<VirtualHost …>`), `LoadModule`. XML is taken
 * from the first tag of a Tomcat or JBoss element to the end of its run of tags, and balanced: a
 * quoted excerpt of server.xml starts inside `<Service>` and stops before `</Server>`; a close tag with
 * no open tag is blanked, the elements left open are closed at the end, and one element wraps the
 * run (an excerpt may hold several top-level elements), so that the XML parser reads the nesting the
 * excerpt shows (a Connector's Engine and jvmRoute within one Service).
 */
import type { ConfigKind } from './types.js';

/** A kind of configuration found in a text: the text with only its lines, and where they are. */
export interface ConfigFragment {
  kind: ConfigKind;
  /** The whole text's line count, every line not of this fragment blank (line numbers kept). */
  text: string;
  /** First and last line (from 1) holding some of it, and how many lines hold some. */
  firstLine: number;
  lastLine: number;
  lines: number;
}

/** httpd core / MPM / proxy / jk / cluster directives that open a line of httpd configuration. */
export const HTTPD_WORDS: ReadonlySet<string> = new Set([
  'serverroot', 'listen', 'loadmodule', 'include', 'includeoptional', 'servername', 'documentroot', 'errorlog', 'customlog', 'loglevel',
  'user', 'group', 'timeout', 'keepalive', 'keepalivetimeout', 'maxkeepaliverequests', 'serverlimit', 'threadsperchild', 'maxrequestworkers',
  'maxclients', 'startservers', 'minsparethreads', 'maxsparethreads', 'minspareservers', 'maxspareservers', 'threadlimit', 'pidfile', 'mutex',
  'define', 'setenv', 'setenvif', 'alias', 'redirect', 'rewriteengine', 'rewriterule', 'rewritecond', 'require', 'allow', 'deny', 'order',
  'options', 'allowoverride', 'servertokens', 'serversignature', 'logformat', 'limitrequestfieldsize', 'limitrequestline', 'addtype',
  'directoryindex', 'header', 'requestheader', 'sslengine', 'sslcertificatefile', 'serveradmin', 'serveralias', 'namevirtualhost',
  'managerbalancername', 'createbalancers', 'enablemcmpreceive', 'serveradvertise', 'advertisefrequency', 'advertisegroup', 'maxcontext',
  'maxnode', 'maxhost', 'memmanagerfile', 'allowdisplay', 'usealias', 'lbstatusrecalctime', 'wsupgradeheader', 'ajpsecret',
]);
export const HTTPD_SECTION = /^<\/?(IfModule|IfDefine|IfVersion|VirtualHost|Location|LocationMatch|Directory|DirectoryMatch|Files|FilesMatch|Proxy|ProxyMatch|If|Else|ElseIf|Limit|LimitExcept|Macro)\b/i;
export const ISAPI_KEYS: ReadonlySet<string> = new Set(['extension_uri', 'worker_file', 'worker_mount_file', 'log_file', 'log_level', 'rewrite_rule_file', 'shm_size', 'uri_select', 'reject_unsafe', 'watchdog_interval', 'enable_chunked_encoding', 'error_page', 'auth_complete', 'collapse_slashes']);

/** What one trimmed line is in each syntax (not XML, which spans lines: see xmlRuns). */
export type ConfigLineKind = 'workers' | 'uriworkermap' | 'isapi' | 'httpd' | undefined;

/** A line (trimmed, not a comment) as detect.ts counts it. */
export function configLineKind(line: string): ConfigLineKind {
  if (/^worker\.[^\s=:]+\s*[=:]/i.test(line)) return 'workers';
  if (/^[!-]?\/[^\s=]*\s*=\s*\S/.test(line)) return 'uriworkermap';
  const word = /^([A-Za-z][\w.]*)/.exec(line)?.[1]?.toLowerCase();
  if (word !== undefined && ISAPI_KEYS.has(word) && /^[\w.]+\s*=/.test(line)) return 'isapi';
  if (HTTPD_SECTION.test(line) || (word !== undefined && (HTTPD_WORDS.has(word) || /^(jk|proxy|balancer)[a-z]*$/.test(word)) && !/^[\w.]+\s*=/.test(line))) return 'httpd';
  return undefined;
}

/**
 * An httpd line no sentence starts with: a jk / proxy / balancer directive (mod_jk's `Jk…`,
 * mod_proxy's `Proxy…`, `BalancerMember`), a section, `LoadModule`.
 */
function strongHttpd(line: string): boolean {
  return HTTPD_SECTION.test(line) || /^(?:Jk[A-Z]\w*|Proxy[A-Z]\w*|ProxyPass|Balancer[A-Z]\w*|LoadModule|ManagerBalancerName|EnableMCMPReceive|CreateBalancers)\s/.test(line);
}

/**
 * A line under the wrappers a paste puts on quoted text: indentation, mail quotes (`> `, `>> `).
 * (A log line's wrappers, line numbers and the like, are the log reader's: logs/line.ts cleanLine.)
 */
function unquote(raw: string): string {
  const line = raw.replace(/^\s*(?:>\s?)*/, '').trim();
  // a line that is one Markdown inline code span (`ProxyIOBufferSize 65536`)
  return line.length > 2 && line.startsWith('`') && line.endsWith('`') && line.indexOf('`', 1) === line.length - 1 ? line.slice(1, -1).trim() : line;
}

const FENCE = /^(?:```|~~~)/;

/**
 * Prose, not a directive: a line that ends a sentence (`.`, `?`, `!`, `:` or `,` after a word), or a
 * common word's line with a comma between words before any quote (`Options we tried, none helped`:
 * httpd separates arguments by blanks, a list in a quoted value is the only comma a directive has).
 */
function sentence(line: string): boolean {
  if (HTTPD_SECTION.test(line)) return false;
  return /[A-Za-z)][.?!:,]$/.test(line) || (!strongHttpd(line) && /^[^"']*\w, \w/.test(line));
}

/** The elements whose presence makes a run of tags Tomcat's or JBoss's configuration. */
const TOMCAT_ELEMENT = /<(Server|Service|Connector|Engine|Executor|Listener)\b[^>]*?\b\w+\s*=\s*["']/;
const JBOSS_ELEMENT = /<(?:[\w-]+:)?(?:ajp-listener|socket-binding|subsystem|socket-binding-group|interface|server)\b/;
const JBOSS_MARK = /urn:jboss:domain|<ajp-listener\b|<socket-binding-group\b|<socket-binding\b[^>]*\bname\s*=\s*["']ajp["']/;

/**
 * The configuration in `text`, per kind (none: []). `logLine`: lines the caller knows to be log
 * messages (a catalogue message such as mod_jk's `JkWorkersFile only allowed once`, which starts with
 * a directive's name): never read as configuration.
 */
export function configFragments(text: string, logLine?: (line: string) => boolean): ConfigFragment[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const lines = raw.map(unquote);
  const n = lines.length;
  const kept = new Map<ConfigKind, string[]>();
  const keep = (kind: ConfigKind, i: number, body: string): void => {
    let arr = kept.get(kind);
    if (arr === undefined) kept.set(kind, (arr = new Array<string>(n).fill('')));
    arr[i] = body;
  };

  // Line kinds, by blocks (runs of non-blank lines between blank lines and code fences).
  for (let start = 0; start < n; ) {
    if (lines[start] === '' || FENCE.test(lines[start])) {
      start++;
      continue;
    }
    let end = start;
    while (end < n && lines[end] !== '' && !FENCE.test(lines[end])) end++;
    let strong = false;
    for (let i = start; i < end; i++) if (strongHttpd(lines[i])) strong = true;
    for (let i = start; i < end; i++) {
      const line = lines[i];
      if (line.startsWith('#')) continue;
      const k = configLineKind(line);
      if (k !== undefined && logLine?.(line) === true) continue;
      // (a sentence that starts with a directive's name, "ProxyPass works for /app but not here.", is prose)
      if (k === undefined || (k === 'httpd' && (!strong || sentence(line)))) continue;
      keep(k, i, line);
      // a property or directive continued on the next line (a backslash at its end), line after line
      for (let cur = line; cur.endsWith('\\') && i + 1 < end; ) keep(k, ++i, (cur = lines[i]));
    }
    start = end;
  }

  // XML: runs of tags holding a Tomcat or JBoss element.
  for (const run of xmlRuns(lines)) {
    const body = run.text;
    const kind: ConfigKind | undefined = JBOSS_MARK.test(body) || (JBOSS_ELEMENT.test(body) && !TOMCAT_ELEMENT.test(body) && /urn:jboss|wildfly/i.test(body)) ? 'jboss' : TOMCAT_ELEMENT.test(body) ? 'tomcat' : undefined;
    if (kind === undefined) continue;
    const balanced = balance(run.lines);
    for (let j = 0; j < balanced.length; j++) keep(kind, run.first + j, balanced[j]);
  }

  const out: ConfigFragment[] = [];
  for (const [kind, arr] of kept) {
    let first = -1;
    let last = -1;
    let count = 0;
    for (let i = 0; i < n; i++)
      if (arr[i] !== '') {
        if (first < 0) first = i;
        last = i;
        count++;
      }
    if (count === 0) continue;
    out.push({ kind, text: arr.join('\n'), firstLine: first + 1, lastLine: last + 1, lines: count });
  }
  return out.sort((a, b) => a.firstLine - b.firstLine);
}

interface XmlRun {
  first: number;
  lines: string[];
  text: string;
}

/**
 * Runs of lines that are XML: from a line that starts with a tag (or a comment) for as long as the
 * lines start with a tag, or a tag or comment is still open from the line before (attributes written
 * one per line), blank lines included where a tag or comment is open.
 */
function xmlRuns(lines: readonly string[]): XmlRun[] {
  const runs: XmlRun[] = [];
  let cur: XmlRun | undefined;
  let open: 'tag' | 'comment' | undefined;
  const startsTag = (line: string): boolean => /^<[A-Za-z!?/]/.test(line);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open === undefined && !startsTag(line)) {
      // blank lines between the elements of an excerpt (server.xml spaces its sections so) keep the
      // run going when the next line that is not blank is a tag
      if (cur !== undefined && line === '') {
        let j = i + 1;
        while (j < lines.length && lines[j] === '') j++;
        if (j < lines.length && startsTag(lines[j])) {
          for (; i < j; i++) cur.lines.push('');
          i--;
          continue;
        }
      }
      if (cur !== undefined) runs.push(cur);
      cur = undefined;
      continue;
    }
    cur ??= { first: i, lines: [], text: '' };
    cur.lines.push(line);
    open = openAtEnd(line, open);
  }
  if (cur !== undefined) runs.push(cur);
  for (const r of runs) r.text = r.lines.join('\n');
  return runs;
}

/** Whether a tag or a comment is still open at the end of `line` (`open`: at its start). */
function openAtEnd(line: string, open: 'tag' | 'comment' | undefined): 'tag' | 'comment' | undefined {
  let state = open;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state === 'comment') {
      if (line.startsWith('-->', i)) {
        state = undefined;
        i += 2;
      }
    } else if (state === 'tag') {
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') state = undefined;
    } else if (line.startsWith('<!--', i)) {
      state = 'comment';
      i += 3;
    } else if (c === '<') state = 'tag';
  }
  return state;
}

/**
 * The run's lines with its tags balanced (see the module comment): one wrapping element opened at the
 * start of the first line and closed at the end of the last, unmatched close tags blanked (spaces,
 * so columns stay), open elements closed where an enclosing one closes, and at the end. Processing
 * instructions and DOCTYPEs are blanked (an XML declaration may only stand first).
 */
function balance(lines: readonly string[]): string[] {
  const text = lines.join('\n');
  const stack: string[] = [];
  let out = '';
  let at = 0;
  const blank = (t: string): string => t.replace(/[^\n]/g, ' ');
  // One pass, each character looked at once (a regex per tag went back to the end of the text from
  // every `<` of an excerpt whose quotes or comment never close: quadratic on a hostile paste). A
  // construct that never ends leaves the rest as it is (the XML parser then says why).
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', at)) {
    out += text.slice(at, i);
    const end = tagEnd(text, i);
    if (end < 0) {
      at = i;
      break;
    }
    const whole = text.slice(i, end);
    at = end;
    if (whole.startsWith('<!--') || whole.startsWith('<![CDATA[')) out += whole;
    else if (whole.startsWith('<?') || whole.startsWith('<!')) out += blank(whole);
    else if (whole.startsWith('</')) {
      const name = /^<\/\s*([\w:.-]+)/.exec(whole)?.[1] ?? '';
      const k = stack.lastIndexOf(name);
      if (k < 0) out += blank(whole);
      else {
        // elements left open inside the one closed here end with it
        for (let j = stack.length - 1; j > k; j--) out += `</${stack[j]}>`;
        stack.length = k;
        out += whole;
      }
    } else {
      out += whole;
      const name = /^<([\w:.-]+)/.exec(whole)?.[1];
      if (name !== undefined && !whole.endsWith('/>')) stack.push(name);
    }
  }
  out += text.slice(at);
  for (let j = stack.length - 1; j >= 0; j--) out += `</${stack[j]}>`;
  return `<ajp-inspect-excerpt>${out}</ajp-inspect-excerpt>`.split('\n');
}

/** Where the markup construct at `text[i] === '<'` ends (just after it), or -1 when it never does. */
function tagEnd(text: string, i: number): number {
  if (text.startsWith('<!--', i)) {
    const e = text.indexOf('-->', i + 4);
    return e < 0 ? -1 : e + 3;
  }
  if (text.startsWith('<![CDATA[', i)) {
    const e = text.indexOf(']]>', i + 9);
    return e < 0 ? -1 : e + 3;
  }
  // a tag, a declaration or an instruction: to its `>`, quoted values skipped
  let quote = 0;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j + 1;
  }
  return -1;
}
