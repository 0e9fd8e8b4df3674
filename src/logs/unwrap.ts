/**
 * What people wrap around log lines when they paste them, removed so that the line underneath can be
 * read: container and journal prefixes, Markdown, HTML entities. Tried only on a line no dialect
 * recognised as it stands (the hot path of a plain log file never comes here), and at most a few
 * layers deep (`docker compose` prefix + `docker logs -t` stamp + Markdown).
 *
 * Each layer is a cheap test on the first characters, then one anchored regex.
 */

/** ```` ``` ```` or ```` ```text ```` / `~~~`: a Markdown fence line (the paste's frame, not a line of the log). */
const FENCE = /^(?:`{3,}|~{3,})[\w.+-]*\s*$/;

/**
 * `docker compose` / `docker-compose up` prefix: `web_1  | `, `tomcat-1    | `, `app.1 |` (Swarm
 * `service.N.id@node |` too). The service name is a container name: letters, digits, `_.-@`.
 */
const COMPOSE = /^[A-Za-z0-9][\w.@-]{0,80}\s*\|(?: |$)/;
/** `docker logs -t` / kubectl `--timestamps`: RFC 3339 with nanoseconds before the line. */
const DOCKER_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)(?: |$)/;
/** `kubectl logs --prefix`: `[pod/web-5d9f/tomcat] `. */
const KUBECTL = /^\[pod\/[^\]\s]+\] /;
/**
 * syslog / journald (`journalctl`, `/var/log/messages`): `Mar  3 10:00:00 host prog[123]: ` (RFC 3164,
 * journalctl's short format), or ISO (`journalctl -o short-iso`, rsyslog RFC 3339), optional `<PRI>`.
 * The program is what httpd (`httpd`, `apache2`, `(httpd)`), Tomcat (`catalina.sh`, `server`, `java`,
 * `tomcat9`) or a wrapper script is called, with or without a pid.
 */
const SYSLOG =
  /^(?:<\d{1,3}>\d? ?)?(?:[A-Z][a-z]{2} [ \d]?\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) [\w.-]+ [^\s:[\]]{1,64}(?:\[\d+\])?: /;
/** Mail quote marks (`> `, `>> `, `> > `), as logs/line.ts cleanLine removes them. */
const QUOTE = /^(?:[ \t]*>)+[ \t]?/;
const ENTITY = /&(?:lt|gt|amp|quot|apos|nbsp|#39|#34|#x27);/g;
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'", '&nbsp;': ' ', '&#39;': "'", '&#34;': '"', '&#x27;': "'" };
/** Markdown backslash escapes (CommonMark: any ASCII punctuation may be escaped). */
const MD_ESCAPE = /\\([[\]_*()#.+!`{}<>|-])/g;
/** Bold / strong markers `**`/`__` at word edges; `*x*` emphasis, also inside identifiers (`jk*ajp*common.c`). */
const MD_STRONG = /\*\*|(?<![\w])__|__(?![\w])/g;

/** True for a Markdown fence line (the reader treats it as a paragraph break). */
export function isFence(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c === 96 || c === 126) && FENCE.test(line);
}

function peel(s: string): string | null {
  const c = s.charCodeAt(0);
  let m: RegExpExecArray | null;
  // inline code around the whole line: `…` (also a stray opening or closing one)
  if (c === 96) {
    const end = s.endsWith('`') && s.length > 1 ? s.length - 1 : s.length;
    return s.slice(1, end);
  }
  if (s.endsWith('`') && s.indexOf('`') === s.length - 1) return s.slice(0, -1).trimEnd();
  // mail quote marks under another wrapper (a line number, a prefix: cleanLine takes them off the
  // line's own start)
  if (c === 62) return s.replace(QUOTE, '');
  if (c === 91 && (m = KUBECTL.exec(s))) return s.slice(m[0].length);
  if (c >= 48 && c <= 57 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84) {
    if ((m = DOCKER_TS.exec(s))) return s.slice(m[0].length);
  }
  // (without `<PRI>` the stamp is `Mmm ` — a blank at 3 — or ISO — `-` at 4, `T` at 10: a line that
  // has neither is no syslog line, and the regex is not run)
  if (c === 60 || (c >= 65 && c <= 90 && s.charCodeAt(3) === 32) || (c >= 48 && c <= 57 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84)) {
    if ((m = SYSLOG.exec(s))) return s.slice(m[0].length);
  }
  const bar = s.indexOf('|');
  if (bar > 0 && bar < 90 && (m = COMPOSE.exec(s))) return s.slice(m[0].length);
  return null;
}

/**
 * The line under its wrappers, or null when nothing was removed. `line` is already cleaned
 * (CR, ANSI colours, mail quotes: cleanLine) and trimmed.
 */
export function unwrapLine(line: string): string | null {
  let s = line;
  let changed = false;
  for (let i = 0; i < 4; i++) {
    const p = peel(s.trimStart());
    if (p === null) break;
    // (the indentation under a prefix is kept: it tells a stack frame from a new record)
    s = p.trimEnd();
    changed = true;
  }
  // Markdown and HTML inside the line: only when the characters occur (one indexOf each: a search
  // for one character is a memchr, cheaper than one regex run for any of them).
  if (s.indexOf('\\') >= 0) {
    const u = s.replace(MD_ESCAPE, '$1');
    if (u !== s) (s = u), (changed = true);
  }
  if (s.indexOf('**') >= 0 || s.indexOf('__') >= 0) {
    const u = s.replace(MD_STRONG, '');
    if (u !== s) (s = u.trimEnd()), (changed = true);
  }
  if (s.indexOf('*') >= 0) {
    const u = unstarIdentifiers(s);
    if (u !== s) (s = u), (changed = true);
  }
  if (s.indexOf('&') >= 0) {
    const u = s.replace(ENTITY, (e) => ENTITIES[e] ?? e);
    if (u !== s) (s = u), (changed = true);
  }
  // A wrapper may have hidden another one (Markdown around a compose line).
  if (changed && s !== line) {
    const again = peel(s.trimStart());
    if (again !== null) s = again.trimEnd();
  }
  return changed && s !== line ? s : null;
}

/**
 * Single `*` emphasis that a Markdown renderer made out of `_` pairs in identifiers
 * (`ajp_get_reply::jk_ajp_common.c` posted unescaped shows as `ajp*get*reply::jk*ajp*common.c` when
 * copied back as Markdown): `*` between two word characters becomes `_` again.
 */
const STAR_IN_WORD = /(?<=[A-Za-z0-9])\*(?=[A-Za-z0-9])/g;
export function unstarIdentifiers(s: string): string {
  // (a `*` between two word characters is rare: look for one before running the regex)
  for (let i = s.indexOf('*'); i > 0 && i < s.length - 1; i = s.indexOf('*', i + 1)) {
    if (isWordChar(s.charCodeAt(i - 1)) && isWordChar(s.charCodeAt(i + 1))) return s.replace(STAR_IN_WORD, '_');
  }
  return s;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
