/**
 * Redaction by value (issue 15). Redacting the fields a decoder recognised is not enough: a damaged
 * packet shown as an excerpt, a header whose code byte was damaged, a log line no dialect read
 * carry the same values by other paths. So every secret-bearing value seen anywhere in the inputs
 * is collected here while they are read — the AJP `secret` attribute (0x0C), Cookie / Set-Cookie /
 * Authorization header values, `;jsessionid=` / `jsessionid%3D` in URIs and query strings,
 * `secret` / `requiredSecret` / `password` values in log and config lines (mod_jk's jk_map
 * property dump `'worker.x.secret' -> 'X'`, `with value 'X'`, `secret: X`, its header dump
 * `Header[1] [Cookie] = [sid=X]`, `Authorization: Basic "X"`) — and the CLI scrubs each of them
 * from every output string at one point (cli/output.ts) unless `--show-secrets`.
 *
 * A value is kept only when scrubbing it everywhere cannot garble the report: at least 6
 * characters, and not a plain word or number shorter than 12 (`secret`, `true`, `18009` are also
 * words and numbers of the report itself). Such short values stay redacted where they were
 * recognised (timeline/redact.ts, rules/redact.ts), not elsewhere.
 */

import { ANSI_ALL } from './ansi.js';
import { trieSource } from './trie-regex.js';

/** Values kept for one run at most: a capture of a million sessions does not grow this without end. */
const MAX_VALUES = 5_000;

/** Cheap first look: none of these words, no value to collect in the line. */
export const SECRET_HINT = /secret|passw|cookie|authoriz|session|basic|with ?value|'[^'\r\n]{0,3}->|->[^'\r\n]{0,3}'/i;
/**
 * SECRET_HINT's words, looked for apart from its arrows (jk_map_dump's `' -> '` with up to three
 * damaged characters, `'[^'\r\n]{0,3}->|->[^'\r\n]{0,3}'`: SecretLook's quotedArrow) by SecretLook.
 */
const HINT_WORDS = /secret|passw|cookie|authoriz|session|basic|with ?value/;

/**
 * Where a value follows a keyword. Each pattern is linear: a fixed keyword, a bounded separator,
 * then a negated character class (no nested or overlapping quantifiers).
 */
/** A value pattern and the lower-case words one of which its match holds (noteText runs it only then). */
interface ValuePattern {
  re: RegExp;
  words: readonly string[];
}
const KEYED = ['secret', 'passw'] as const;
const VALUE_PATTERNS: readonly ValuePattern[] = [
  // secret=X, secret: X, requiredSecret="X", 'worker.w1.secret' -> 'X', password="X", passwd: X;
  // with up to two damaged characters before the separator (`secret\u2082="X"`), or the separator
  // lost before a quote (`secret"X"`: fuzz log:13965, log:22365 of the eighth run)
  { re: /(?:secret|passw(?:or)?d)[^\s=:'"<>]{0,2}(?:['"]?[ \t]{0,8}(?:=|:|->)[ \t]{0,8}['"]?|['"])([^'"\s,;&<>)\]]{1,4096})/gi, words: KEYED },
  // A mod_jk worker property whose separator is damaged (`worker.w1.secretBX`, fuzz log:15001 of the
  // eighth run): `secret` ends a jk property name (workers.html), so what follows one character later is its value.
  // (The worker name is read lazily: on a line holding the property many times, greedily it ran to
  // the last one and took only the last value: fuzz log:25337 of the eleventh run. No word boundary
  // before `worker`: spliced after a value, `…zetaworker.w1.secretBX`, it has none: log:18697, log:6070
  // of the twelfth run.)
  { re: /worker\.[\w.-]{1,256}?\.secret[^\r\n]([^'"\s]{1,4096})/gi, words: ['worker.'] },
  // jk_map_dump with a damaged arrow: 'worker.w1.secret' ->F'X', 'worker.w1.secret' ->F&X' (the
  // pattern above stops at the damaged byte; see KEYLESS_JK_MAP_DUMP)
  { re: /(?:secret|passw(?:or)?d)'[^'\r\n]{0,3}->(?:[^'\r\n]{0,3}'([^']{1,4096})|[ \t]?([^'\s]{1,4096}))'/gi, words: KEYED },
  // jk_map: Adding property 'worker.w1.secret' with value 'X' to map.
  { re: /(?:secret|passw(?:or)?d)' with value '([^']{1,4096})'/gi, words: KEYED },
  // ;jsessionid=X, ?jsessionid=X, jsessionid%3DX (URL-encoded), JSESSIONID=X in a cookie
  { re: /jsessionid(?:=|%3d)([^;&?#\s"',)\]%]{1,4096})/gi, words: ['jsessionid'] },
  // Authorization: Basic "X", Authorization = [Bearer X]
  { re: /authorization['"\]]?[ \t]{0,8}[:=][ \t]{0,8}\[?(?:basic|bearer|digest|negotiate|ntlm)?[ \t]{0,8}"?([^\s"'\]]{1,4096})/gi, words: ['authorization'] },
];

/** The words that gate noteText's other patterns (lower case; the arrow has no case). */
const GATE = { basic: 'basic', withValue: ['with value', 'withvalue'], arrow: '->', authorization: 'authorization', cookie: 'cookie' } as const;
/** Any gate word at all (one regex run over a line instead of a dozen searches, for a line that holds none). */
export const GATE_WORDS: readonly string[] = [...new Set([...VALUE_PATTERNS.flatMap((p) => p.words), ...Object.values(GATE).flat()])];
const escapeWord = (w: string): string => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const GATE_ANY = new RegExp(GATE_WORDS.map(escapeWord).join('|'));
/**
 * The gate words that hold no HINT_WORDS keyword (`worker.`, `->`), regardless of case: a line
 * SecretLook.look answered 0 for (no keyword) may still hold one of them.
 */
const GATE_BEYOND_HINT = new RegExp(GATE_WORDS.filter((w) => !HINT_WORDS.test(w)).map(escapeWord).join('|'), 'i');

/** Each gate word with each place it can be cut (1 … length − 1), listed by the character before the cut. */
const GATE_CUTS: ([string, number][] | undefined)[] = [];
for (const w of GATE_WORDS) for (let k = 1; k < w.length; k++) (GATE_CUTS[w.charCodeAt(k - 1)] ??= []).push([w, k]);

/** An ASCII upper-case letter as its lower case; any other code as it is. */
const lowerAscii = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * Whether a gate word (GATE_ANY regardless of case, as GATE_I reads it) spans the junction of `a`
 * and `b` in `a + b`: starts in `a` and ends in `b`. Under `i` without `u` a character beyond ASCII
 * never matches an ASCII one (ECMA-262 Canonicalize), and the gate words are ASCII: only ASCII
 * letters are compared regardless of case.
 */
export function spansGate(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  const cuts = GATE_CUTS[lowerAscii(a.charCodeAt(a.length - 1))];
  if (cuts === undefined) return false;
  next: for (const [w, k] of cuts) {
    if (k > a.length || w.length - k > b.length) continue;
    for (let i = 0; i < k - 1; i++) if (lowerAscii(a.charCodeAt(a.length - k + i)) !== w.charCodeAt(i)) continue next;
    for (let i = k; i < w.length; i++) if (lowerAscii(b.charCodeAt(i - k)) !== w.charCodeAt(i)) continue next;
    return true;
  }
  return false;
}

/** Whether `low` holds one of `words`. */
function holdsAny(low: string, words: readonly string[]): boolean {
  for (const w of words) if (low.includes(w)) return true;
  return false;
}

/**
 * An Authorization header's whole value (to the end of the line or a dump's `]`): its credentials
 * are every token of it but the scheme. The pattern above stops at the first character that cannot
 * be in a token, so a damaged or odd character between the scheme and the credentials (`Basic
 * \uFFFD"X"`, from a paste with an invalid byte) made it collect the odd character and leave X in
 * clear (found by the fuzz loop, log:8963).
 */
const AUTHORIZATION_VALUE = /authorization['"\]]?[ \t]{0,8}[:=][ \t]{0,8}\[?([^\r\n\]]{1,4096})/gi;
const AUTH_SCHEME = /^(?:basic|bearer|digest|negotiate|ntlm)$/i;
/** A character of RFC 9110 §11.2 token68, what Basic, Bearer, Negotiate and NTLM carry. */
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/**
 * The credentials in an Authorization value (RFC 9110 §11.6.2): after Basic, Bearer, Negotiate or
 * NTLM the one token68 that follows (an odd character before it skipped: `Basic \uFFFD"X"`, fuzz
 * log:8963); after Digest or an unknown scheme each auth-param's value (`response="X"`), and
 * without a known scheme the first token too. What follows the credentials on the line (the rest of a pasted line, the next line of
 * a file glued to it) is not a credential: every token of it was taken before, and a config comment
 * after `Basic "X"` made "ajp-inspect" a secret scrubbed from the report's own schema id (fuzz
 * log:17725, log:23917).
 */
function credentials(value: string): string[] {
  const toks = value.split(/[\s"',]+/).filter((t) => t !== '');
  // (a damaged character glued to the scheme, `Basic]`, fuzz log:9153 of the eighth run, does not hide it)
  const first = toks.length > 0 ? toks[0]!.replace(/[^A-Za-z]/g, '') : '';
  const scheme = AUTH_SCHEME.test(first) ? first.toLowerCase() : undefined;
  if (scheme !== undefined && scheme !== 'digest') {
    // The first token with a token68 character in it, whole (a bidi control or invalid byte inside
    // the credentials stays in it: fuzz log:9517); a lone odd character before it is skipped.
    const cred = toks.slice(1).find((t) => TOKEN68_CHAR.test(t));
    return cred === undefined ? [] : [cred];
  }
  // Digest: its auth-params (comma-separated `name=value` or `name="value"`); anything else: the
  // first token (a bare credential, or an unknown scheme's name, kept to be safe) and the values of
  // the auth-params.
  const out: string[] = [];
  if (scheme === undefined && toks.length > 0) out.push(toks[0]!);
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const v = part.slice(eq + 1).trim().replace(/^"([^"]*)"?.*$/, '$1');
    if (v !== '') out.push(v);
  }
  return out;
}

/**
 * HTTP Basic credentials wherever they are (the header name damaged or cut off: `Autho\x05ization:
 * Basic "X"`, fuzz log:8563): base64 of user:password after the word Basic, up to eight characters
 * of anything but base64 between them (a quote, `]`, an invalid byte, or one read as Latin-1 `ï¿½`:
 * fuzz log:9153, log:28717 of the eighth run).
 */
const BASIC_CREDENTIALS = /\bbasic[^A-Za-z0-9+/\r\n]{1,8}([A-Za-z0-9+/]{8,4096}={0,2})/gi;

/**
 * jk_map's property dump with its key cut off by a wrap or a splice (`cret' with value 'X' to map.`,
 * fuzz log:1473 and others): the key that says whether X is a secret is not on the line, so X is
 * taken as one. With the key on the line (`Adding property 'worker.w1.port' with value '8009'`) only
 * a secret key's value is (VALUE_PATTERNS).
 */
const KEYLESS_JK_MAP_VALUE = /(?:^|[^'])' ?with ?value '([^']{1,4096})' to map/g;
const JK_MAP_KEYED = /property '[\w.-]{1,256}' with value '/;
/**
 * The same for jk_map_dump() (jk_map.c: `Dump of map: 'worker.w1.secret' -> 'X'`) with its key cut
 * off (`et' -> 'X'` after a wrap, behind a paste's line-number gutter and quote marks: fuzz log:7653).
 * A key is a property name (word characters, dots, hyphens): `'worker.w1.secr\r20: et' -> 'X'`, a
 * CR-only paste read as one line, has none, and X is taken (fuzz log:4647, log:16302); a damaged
 * byte between the arrow and the value (`->F'X'`, fuzz log:10024) does not hide it, nor does a lost
 * opening quote (`->F&X'`, fuzz log:3521: then all from the arrow to the closing quote is taken, as
 * where the value starts is not known), nor the key's lost closing quote (`et -> 'X'`, fuzz log:6880
 * of the eleventh run: then the value must be quoted).
 */
const KEYLESS_JK_MAP_DUMP = /(?:^|[^'])(?:'[^'\r\n]{0,3}->(?:[^'\r\n]{0,3}'([^']{1,4096})|[ \t]?([^'\s]{1,4096}))|->[^'\r\n]{0,3}'([^']{1,4096}))'/g;
const JK_MAP_DUMP_KEYED = /'[\w.-]{1,256}'[^'\r\n]{0,3}->/;

/**
 * A key of the forms VALUE_PATTERNS read (with their damage allowances) inside a collected value
 * (SecretValues.addSpliced): `secret=`, `secret"`, `secret' -> '`, and a jk property
 * `worker.w1.secret` with its separator damaged (`…zetaworker.w1.secretBX`, fuzz log:19161 of the
 * ninth run: no word boundary before `worker` once spliced).
 */
const INNER_KEY = /(?:secret|passw(?:or)?d)[^\s=:'"<>]{0,2}(?:['"]?[ \t]{0,8}(?:=|:|'?[^'\r\n]{0,3}->)[ \t]{0,8}['"]?|['"])|worker\.[\w.-]{1,256}?\.secret[^\r\n]/gi;

/** Format characters (bidi controls, zero-width), C0 controls but tab and line ends, DEL, U+FFFD. */
const HIDDEN = /[\p{Cf}\uFFFD\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');
/**
 * The run of printable ASCII (and tab, CR, LF) at the start of a text: none of them is HIDDEN, so a
 * text that is all such a run has no hidden character. A greedy run is read at ~0.7 ns a character,
 * the search for a HIDDEN character at ~1.3 (every line of a log is tested).
 */
const PLAIN_RUN = /[\t\n\r\x20-\x7e]*/y;

/** Cookie and Set-Cookie header text (a dump, a pasted header): each cookie's value. */
const COOKIE_HEADER = /(?:set-)?cookie2?['"\]]?[ \t]{0,8}[:=][ \t]{0,8}\[?([^\r\n\]]{1,8192})/gi;

/**
 * SECRET_HINT over a whole input chunk as it stands (SecretLook), under `i`: V8 (Node 20) reads this
 * alternation under `i` as fast as the case-sensitive one over a lower-cased copy (~1 ns a character
 * on a mod_jk debug log), and the copy cost ~0.3 more (a lower-cased chunk per chunk read). Its words
 * and its arrows are looked for apart: the words alone at ~0.75 ns a character (the arrows' quote
 * and `-` first characters are frequent, and their short matches leave the engine little to skip),
 * the arrows only where a `->` is (one memchr for `>` over the chunk), by characters.
 */
const HINT_WORDS_ALL = new RegExp(HINT_WORDS.source, 'gi');
/** GATE_ANY regardless of case, for a line of printable ASCII (SecretLook.look). */
const GATE_I = new RegExp(GATE_ANY.source, 'i');
/**
 * SECRET_HINT's keywords in lower case, case-sensitive, for a line lower-cased once (noteText, which
 * needs the lower-cased line for its gate words anyway). It finds every keyword the `i` pattern
 * finds: under `i` without `u` a character matches an ASCII letter only when it is that letter in
 * either case (ECMA-262 Canonicalize keeps a character beyond ASCII whose upper case is ASCII as it
 * is), and toLowerCase makes each of those the lower case letter; it may find more (the Kelvin sign
 * lower-cases to `k`), which costs a pattern run that then finds nothing.
 */
const HINT_LOWER_ONE = new RegExp(SECRET_HINT.source);
/** A character that is not printable ASCII, tab, CR or LF: only such a text can hold a HIDDEN one. */
const NOT_PLAIN = /[^\t\n\r\x20-\x7e]/g;

/**
 * Where, in a text read line by line, the next SECRET_HINT keyword and the next character that is
 * not printable ASCII start: each looked for once over the whole text (an input chunk), not once per
 * line (logs/reader.ts, every line of a log). A line holding neither gives noteText nothing to do.
 * Lines must be asked in order (`start` not decreasing); neither pattern spans a line end.
 */
export class SecretLook {
  private text: string | undefined;
  /** The next HINT_WORDS match and `->` from where they were last looked for. */
  private hintAt = -1;
  private arrowAt = -1;
  private oddAt = -1;

  /**
   * Says that `text` (the next text asked about) has no character but printable ASCII, tab, CR and
   * LF: its reader knows it from the bytes it was decoded from (logs/read.ts), at a third of the
   * cost of looking for one in the text.
   */
  plain(text: string): void {
    this.begin(text);
    this.oddAt = Number.POSITIVE_INFINITY;
  }

  private begin(text: string): void {
    this.text = text;
    this.hintAt = -1;
    this.arrowAt = -1;
    this.oddAt = -1;
  }

  /** Whether `text[start..end)` may hold a keyword or a hidden character (false: noteText would find nothing). */
  mayHold(text: string, start: number, end: number): boolean {
    if (text !== this.text) this.begin(text);
    if (this.hintAt < start) this.hintAt = nextAt(HINT_WORDS_ALL, text, start);
    if (this.hintAt < end) return true;
    if (this.arrowAt < start) this.arrowAt = nextArrow(text, start);
    // Each `->` of the line is asked whether a quote stands where SECRET_HINT's arrows want one (by its
    // characters: a regex run from it went on to the next match or the chunk's end, on a jk debug
    // log with `->` in it over most of each chunk)
    while (this.arrowAt < end) {
      if (quotedArrow(text, this.arrowAt)) return true;
      this.arrowAt = nextArrow(text, this.arrowAt + 1);
    }
    if (this.oddAt < start) this.oddAt = nextAt(NOT_PLAIN, text, start);
    return this.oddAt < end;
  }

  /**
   * What noteText would do with `line` = `text[start..end)`: 0 find nothing and return false
   * (mayHold says no); 1 return true and collect nothing: a line of printable ASCII with a
   * SECRET_HINT keyword but none of the words that gate its value patterns (GATE_ANY; systemd's
   * `Started Session 12`, a session manager's lines), looked for in the line as it stands (in
   * printable ASCII `i` finds what noteText's case-sensitive test over the lower-cased line finds:
   * no lower-cased copy, no second keyword test); 2 anything else (noteText must read the line).
   * (The gate words are looked for in the line, not once over the chunk: a chunk with keywords and
   * no gate word at all, the usual case, was read to its end again.)
   */
  look(text: string, start: number, end: number, line: string): 0 | 1 | 2 {
    if (!this.mayHold(text, start, end)) return 0;
    if (end - start < 8) return 2;
    if (this.oddAt < start) this.oddAt = nextAt(NOT_PLAIN, text, start);
    if (this.oddAt < end) return 2;
    return GATE_I.test(line) ? 2 : 1;
  }

  /**
   * For a line read joined to the end of the line before it (logs/reader.ts: a value wrapped onto
   * the next line is read from `tail + lead`), where `lead` is a part of `line` = `text[start..end)`
   * and `tail` is printable ASCII holding no gate word (the caller vouches for it: a part of a line
   * `look` answered 1 for, or this 0 or 1): 2 when noteText(tail + lead) must read the joined text;
   * otherwise it would find nothing there — printable ASCII with no gate word in either part nor
   * across their junction is answered before any pattern runs — and this is `look`'s answer for
   * the line (0: no keyword in it either, 1: one but no gate word).
   */
  lookJoined(text: string, start: number, end: number, line: string, tail: string, lead: string): 0 | 1 | 2 {
    const k = this.look(text, start, end, line);
    if (k === 2 || (k === 0 && GATE_BEYOND_HINT.test(line))) return 2;
    return spansGate(tail, lead) ? 2 : k;
  }
}

/**
 * Whether the `->` at `a` is part of a match of SECRET_HINT's arrows: `'[^'\r\n]{0,3}->` (a quote at most three
 * characters before it, none of those a quote or a line end) or `->[^'\r\n]{0,3}'` (the same after it).
 */
function quotedArrow(text: string, a: number): boolean {
  for (let k = 1; k <= 4 && a - k >= 0; k++) {
    const c = text.charCodeAt(a - k);
    if (c === 39) return true;
    if (c === 10 || c === 13) break;
  }
  for (let k = 2; k <= 5 && a + k < text.length; k++) {
    const c = text.charCodeAt(a + k);
    if (c === 39) return true;
    if (c === 10 || c === 13) break;
  }
  return false;
}

/** Where the next `->` at or after `from` starts (a search for `>`: one character is a memchr). */
function nextArrow(text: string, from: number): number {
  for (let i = text.indexOf('>', from + 1); i >= 0; i = text.indexOf('>', i + 1)) if (text.charCodeAt(i - 1) === 45) return i - 1;
  return Number.POSITIVE_INFINITY;
}

function nextAt(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m === null ? Number.POSITIVE_INFINITY : m.index;
}

const REDACTED = '[redacted]';
/** Values kept apart from the folded regex at most (SecretValues.pending). */
const PENDING = 32;

export class SecretValues {
  private readonly values = new Set<string>();
  /**
   * The values as two trie-shaped regexes (util/trie-regex.ts): `folded`, built again only once
   * PENDING values were added since (`pending`, in a small regex of their own), and `pending`'s. One regex
   * of every value rebuilt at each value added cost a compilation of up to 5,000 values per request
   * when `frames` printed a capture whose every request had its own session cookie (quadratic: 1,000
   * requests 37 CPU-s). `scrub` replaces as one pass over all the values would (see there).
   */
  private readonly folded: string[] = [];
  private foldedRe: RegExp | null = null;
  private pending: string[] = [];
  private pendingRe: RegExp | null = null;
  /**
   * The length of the shortest value: a text shorter than that holds none, and is not scanned (most
   * strings of a report are shorter than a secret: scrubbing a renderer's input, cli/output.ts `shown`,
   * met 170,000 strings for a 500 MB capture, issue 14).
   */
  private shortest = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.folded.length = 0;
    this.foldedRe = null;
    this.pending = [];
    this.pendingRe = null;
    this.shortest = Number.POSITIVE_INFINITY;
  }

  /** Keeps `v` (and the forms it takes in JSON and escaped text) when it can be scrubbed safely. */
  add(v: string | null | undefined): void {
    if (v === null || v === undefined) return;
    const t = v.trim();
    if (!worthKeeping(t) || this.values.has(t) || this.values.size >= MAX_VALUES) return;
    this.values.add(t);
    this.pending.push(t);
    // As a JSON string shows it (a quote or backslash escaped), and as escaped text shows it.
    const json = JSON.stringify(t).slice(1, -1);
    if (json !== t && !this.values.has(json)) {
      this.values.add(json);
      this.pending.push(json);
    }
    this.pendingRe = null;
    // (the pending regex is built again for each value added: kept small, folded every PENDING values)
    if (this.pending.length >= PENDING) this.fold();
    // (the JSON form is never shorter: escaping only lengthens)
    if (t.length < this.shortest) this.shortest = t.length;
  }

  /** A Cookie / Set-Cookie header value: the whole value and each cookie's own value. */
  addCookieHeader(v: string | null | undefined): void {
    if (v === null || v === undefined) return;
    this.add(v);
    for (const part of v.split(';')) {
      const eq = part.indexOf('=');
      // RFC 6265 4.1.1: a cookie-value has no whitespace, DQUOTE, comma, semicolon or backslash.
      if (eq > 0) this.add(/^"?([^\s",;\\]*)/.exec(part.slice(eq + 1))?.[1]);
    }
  }

  /**
   * A value matched with its opening quote (group 1), or, after a damaged arrow that lost the quote
   * (`->F&X'`, group 2), all from the arrow to the closing quote and the same without its first one
   * to three characters: as with a quote, up to three damaged bytes may stand before the value, and
   * the value may be shown elsewhere without them.
   */
  private addDumpValue(m: RegExpExecArray): void {
    if (m[1] !== undefined) return this.addSpliced(m[1]);
    if (m[3] !== undefined) return this.addSpliced(m[3]);
    const v = m[2];
    if (v === undefined) return;
    for (let k = 0; k <= 3 && k < v.length; k++) this.addSpliced(v.slice(k));
  }

  /**
   * A value, and, when it holds a key of the same form (`Xworker.w1.secret=X…`: a line repeated
   * into itself, two assignments spliced), each part between those keys too. The value pattern runs
   * to the end of such a line (at most 4,096 characters), and a line longer than that was scrubbed
   * only up to there: the next copies of X showed (fuzz log:8360, log:12110).
   */
  private addSpliced(v: string): void {
    this.add(v);
    INNER_KEY.lastIndex = 0;
    let from = 0;
    for (let m = INNER_KEY.exec(v); m !== null; m = INNER_KEY.exec(v)) {
      if (m.index > from) this.add(v.slice(from, m.index));
      from = m.index + m[0].length;
    }
    if (from > 0 && from < v.length) this.add(v.slice(from));
  }

  /** An Authorization header value: the whole value and the credentials after the scheme. */
  addAuthorization(v: string | null | undefined): void {
    if (v === null || v === undefined) return;
    this.add(v);
    const sp = v.trim().indexOf(' ');
    if (sp > 0) this.add(v.trim().slice(sp + 1).replace(/^"|"$/g, ''));
  }

  /**
   * Collects the values of the forms above from a line of text (a log line, a header value, a URI).
   * Invisible characters inside a keyword (a bidi control, a zero-width space, a NUL, an invalid
   * byte read as U+FFFD: `Auth\u202eorization: Basic "X"`, found by the fuzz loop) do not hide
   * it: the line is also read without them.
   *
   * Returns false when `text` holds neither a keyword of SECRET_HINT nor an invisible character
   * (then no part of it does either: the log reader skips looking at its end again, logs/reader.ts);
   * true otherwise, and for a text too short to be read.
   */
  noteText(text: string): boolean {
    if (text.length < 8) return true;
    PLAIN_RUN.lastIndex = 0;
    PLAIN_RUN.test(text);
    // (all printable ASCII: read before the call below sets PLAIN_RUN again)
    const plain = PLAIN_RUN.lastIndex === text.length;
    const hidden = !plain && HIDDEN.test(text);
    if (hidden) {
      // Escape sequences go whole first, as the log reader removes them (logs/line.ts cleanLine): the
      // `[2J` of `Basic "\x1b[2JX"` is not part of X, and what the report shows is X (fuzz log:12051).
      const seen = (text.includes('\x1b') ? text.replace(ANSI_ALL, '') : text).replace(HIDDEN_ALL, '');
      if (seen !== text) this.noteText(seen);
    }
    // Printable ASCII without a gate word: no pattern runs, and the answer is whether a keyword is
    // there (`i` over such a text finds what the tests below find over its lower-cased copy, which
    // is not made: the line after a keyword's is read again joined to its end, see logs/reader.ts).
    if (plain && !GATE_I.test(text)) return SECRET_HINT.test(text);
    // SECRET_HINT on the lower-cased text (see HINT_LOWER_ONE: the same keywords, maybe more), asked
    // again as it stands only for a text with a character beyond printable ASCII (the Kelvin sign).
    const low = text.toLowerCase();
    if (!HINT_LOWER_ONE.test(low) || (!plain && !SECRET_HINT.test(text))) return hidden;
    // Each pattern runs only where its keyword occurs (a line with `session` in it — systemd's
    // `Started Session 12`, Tomcat's session manager — is no line for the password patterns). The
    // keywords are looked for in the lower-cased text: that finds each one the `i` patterns can
    // match, so no value is missed; it may find more, which costs a pattern run.
    // (most lines with a keyword hold no gate word at all: `session` alone gates nothing)
    if (!GATE_ANY.test(low)) return true;
    for (const { re, words } of VALUE_PATTERNS) {
      if (!holdsAny(low, words)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) this.addDumpValue(m);
    }
    if (low.includes(GATE.basic)) {
      BASIC_CREDENTIALS.lastIndex = 0;
      for (let m = BASIC_CREDENTIALS.exec(text); m !== null; m = BASIC_CREDENTIALS.exec(text)) this.add(m[1]);
    }
    if (holdsAny(low, GATE.withValue) && !JK_MAP_KEYED.test(text)) {
      KEYLESS_JK_MAP_VALUE.lastIndex = 0;
      for (let m = KEYLESS_JK_MAP_VALUE.exec(text); m !== null; m = KEYLESS_JK_MAP_VALUE.exec(text)) this.add(m[1]);
    }
    // (up to three damaged bytes may stand between the quote and the arrow: only the arrow is looked for)
    if (text.includes(GATE.arrow) && !JK_MAP_DUMP_KEYED.test(text)) {
      KEYLESS_JK_MAP_DUMP.lastIndex = 0;
      for (let m = KEYLESS_JK_MAP_DUMP.exec(text); m !== null; m = KEYLESS_JK_MAP_DUMP.exec(text)) this.addDumpValue(m);
    }
    if (low.includes(GATE.authorization)) {
      AUTHORIZATION_VALUE.lastIndex = 0;
      for (let m = AUTHORIZATION_VALUE.exec(text); m !== null; m = AUTHORIZATION_VALUE.exec(text)) for (const v of credentials(m[1]!)) this.add(v);
    }
    if (low.includes(GATE.cookie)) {
      COOKIE_HEADER.lastIndex = 0;
      for (let m = COOKIE_HEADER.exec(text); m !== null; m = COOKIE_HEADER.exec(text)) this.addCookieHeader(m[1]);
    }
    return true;
  }

  /** Set by the CLI for --show-secrets: `cut` then leaves the values in (the output guard does not scrub). */
  showing = false;

  /**
   * `text` cut to `max` characters (and `…`) where a reader keeps a sample of a long line, with the
   * values collected so far scrubbed first: a value longer than what is kept (`worker.w1.secret=X`
   * repeated on one line is one value to the line's end) would be kept as a prefix that no longer
   * matches it, and printed in clear (fuzz log:8838). Values collected later are scrubbed from the
   * renderers' input before they cut anything (cli/output.ts `shown`).
   */
  cut(text: string, max: number): string {
    if (text.length <= max) return text;
    const t = this.showing ? text : this.scrub(text);
    return t.length > max ? `${t.slice(0, max)}…` : t;
  }

  /** `text` with every collected value replaced by `[redacted]`. */
  scrub(text: string): string {
    if (text.length < this.shortest) return text;
    // As one pass over every value does: left to right, at one position the longest value wins. When
    // no pending value occurs in the text, that pass is the folded values' alone; when no folded value
    // occurs, the pending values' alone; when both do, the values are folded and it is that pass.
    if (this.pending.length > 0) {
      const p = (this.pendingRe ??= new RegExp(trieSource(this.pending), 'g'));
      p.lastIndex = 0;
      if (p.test(text)) {
        if (this.folded.length === 0) return text.replace(p, REDACTED);
        const f = this.foldedRegex();
        f.lastIndex = 0;
        if (!f.test(text)) return text.replace(p, REDACTED);
        this.fold();
      }
    }
    return this.folded.length === 0 ? text : text.replace(this.foldedRegex(), REDACTED);
  }

  private foldedRegex(): RegExp {
    return (this.foldedRe ??= new RegExp(trieSource(this.folded), 'g'));
  }

  /** The pending values join the folded ones (their regex is built again when next needed). */
  private fold(): void {
    for (const v of this.pending) this.folded.push(v);
    this.pending = [];
    this.pendingRe = null;
    this.foldedRe = null;
  }
}

/** See the module comment: long enough, and not a plain short word or number. */
function worthKeeping(v: string): boolean {
  if (v.length < 6 || v === '[redacted]' || v.startsWith('[redacted')) return false;
  if (v.length >= 12) return true;
  return !/^(?:[A-Za-z]+|[0-9]+)$/.test(v);
}

/**
 * The secret values seen in this run's inputs: filled by the readers (AJP analyzer, log reader,
 * rules' redaction), read by the CLI's output. One process runs one command; the CLI clears it at
 * the start of each.
 */
export const inputSecrets = new SecretValues();
