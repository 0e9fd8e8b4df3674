/**
 * Several records glued into one line: a paste whose line ends were lost (a web form, a chat, a
 * JSON-escaped log, a ticket system) keeps the records one after the other. Each record starts with
 * the stamp of its layout; a second stamp of the same kind further on starts the next record.
 */

/** Lines shorter than this hold one record (two heads alone take ~60 characters). */
export const GLUE_MIN = 120;

/**
 * Record heads that can start a record in the middle of a line, preceded by a blank:
 *  - `[Thu Mar 12 10:00:00 2015]` / `[Thu Mar 12 10:00:00.123456 2015]` (httpd, mod_jk default JkLogStampFormat);
 *  - `[2015-03-12 10:00:00` (custom JkLogStampFormat, JkRequestLog);
 *  - `12-Mar-2015 10:00:00.123 ` (Tomcat OneLineFormatter);
 *  - `2015-03-12 10:00:00,123 ` / `2015-03-12T10:00:00.123` (log4j / JBoss / logback / ISO juli).
 */
const HEAD =
  / (?=\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]?\d \d\d:\d\d:\d\d|\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d|\d{1,2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[.,]\d)/g;

const HEAD_ONLY = /^(?:\[[^\]]*\]\s*)+$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * What the next record of a glued line would repeat of this one's stamp: the records of one log
 * share its layout and, nearly always, the day (`[Thu Mar 12 …` → ` [Thu`; `[2015-03-12 …` → ` [2015`;
 * `2015-03-12 …` → ` 2015`; `12-Mar-2015 …` → `-Mar-2015 `). Undefined for a line that starts with
 * no stamp. One native search per long line instead of a regex scan.
 */
function repeatKey(line: string): string | undefined {
  const c = line.charCodeAt(0);
  if (c === 91) return ` ${line.slice(0, 5)}`;
  if (!isDigit(c)) return undefined;
  if (line.charCodeAt(4) === 45) return ` ${line.slice(0, 4)}`;
  const dash = line.charCodeAt(1) === 45 ? 1 : line.charCodeAt(2) === 45 ? 2 : -1;
  return dash < 0 ? undefined : line.slice(dash, dash + 10);
}

/**
 * Whether `line` repeats its `[Www ` (its first five characters after a blank) from index 16 on, as
 * `line.indexOf(repeatKey(line), 16) >= 0` says, without making the key: each `[` from 17 on is
 * compared in place (a jk or httpd line has two or three, most differing at once).
 */
function repeatsBracket(line: string): boolean {
  const c1 = line.charCodeAt(1);
  const c2 = line.charCodeAt(2);
  const c3 = line.charCodeAt(3);
  const c4 = line.charCodeAt(4);
  for (let i = line.indexOf('[', 17); i >= 0; i = line.indexOf('[', i + 1)) {
    if (line.charCodeAt(i + 1) === c1 && line.charCodeAt(i - 1) === 32 && line.charCodeAt(i + 2) === c2 && line.charCodeAt(i + 3) === c3 && line.charCodeAt(i + 4) === c4) return true;
  }
  return false;
}

/** The records of `line`, or null when it holds one (the usual case: one indexOf, no regex). */
export function splitGlued(line: string): string[] | null {
  // a head at the very start is the line's own
  if (line.charCodeAt(0) === 91) {
    if (!repeatsBracket(line)) return null;
  } else {
    const key = repeatKey(line);
    if (key === undefined || line.indexOf(key, 16) < 0) return null;
  }
  HEAD.lastIndex = 16;
  let m = HEAD.exec(line);
  if (m === null) return null;
  const parts: string[] = [];
  let from = 0;
  for (; m !== null; m = HEAD.exec(line)) {
    const piece = line.slice(from, m.index).trim();
    // Only bracketed groups before the inner head (`[stamp] [jk:error] [pid …] [stamp] … jk line`):
    // one record written inside another program's head (jk_log_to_file's fallback), not two.
    if (HEAD_ONLY.test(piece)) continue;
    if (piece !== '') parts.push(piece);
    from = m.index + 1;
  }
  parts.push(line.slice(from).trim());
  return parts.length > 1 ? parts : null;
}
