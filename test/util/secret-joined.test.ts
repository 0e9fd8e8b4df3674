/**
 * The log reader reads a line joined to the end of the line before it when that line has a secret
 * keyword (a value wrapped onto the next line, logs/reader.ts push). SecretLook.lookJoined and
 * spansGate (util/secrets.ts) say when that joined text gives noteText nothing, so that it is not
 * read: checked here against the regex and the code they stand in for — GATE_ANY regardless of case
 * over the joined text, noteText over it, and the reader's secret collection line by line as it was
 * before the shortcut (every line read joined to the previous one's end whenever that end has a keyword).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GATE_WORDS, SECRET_HINT, SecretLook, SecretValues, inputSecrets, spansGate } from '../../src/util/secrets.js';
import { LogLineReader } from '../../src/logs/reader.js';
import { cleanLine } from '../../src/logs/line.js';
import { lineContext } from '../../src/logs/index.js';

const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
/** Each gate word on its own, sticky and regardless of case (as the collector's GATE_I reads them). */
const GATE_AT = GATE_WORDS.map((w) => new RegExp(escape(w), 'iy'));
const GATE_I = new RegExp(GATE_WORDS.map(escape).join('|'), 'i');

/** The reference: some gate word matches `a + b` starting in `a` and ending in `b`. */
function spansByRegex(a: string, b: string): boolean {
  const j = a + b;
  for (let p = 0; p < a.length; p++)
    for (const re of GATE_AT) {
      re.lastIndex = p;
      if (re.test(j) && re.lastIndex > a.length) return true;
    }
  return false;
}

/** Gate words and keywords cut anywhere, in any case, and the pieces of real lines around them. */
const cutWords = [...GATE_WORDS, 'session', 'authoriz', 'with  value'].flatMap((w) => {
  const out: string[] = [];
  for (let k = 0; k <= w.length; k++) out.push(w.slice(0, k), w.slice(k), w.slice(0, k).toUpperCase(), w.slice(k).toUpperCase());
  return out.filter((x) => x !== '');
});
const pieces = [...cutWords, 'Nov 21 08:00:00 web1 systemd[1]: Started Session 7 of user deploy.', '2026/11/21 08:00:00 [warn] 1234#1234: *0 upstream response', "Adding property 'worker.w1.secret' with value 'Xq7-value-1' to map.", '=', ': ', "'", '"', ' ', 'x', 'deploy.', 'Xq7-value-1', 'dXNlcjpwdw==', 'é', '\u200b'];

describe('spansGate', () => {
  it('is exactly "a gate word starts in a and ends in b", as the regex reads a + b', () => {
    let spans = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 4 }),
        fc.array(fc.constantFrom(...pieces), { maxLength: 4 }),
        // half of the time a gate word cut at the junction, each letter in either case
        fc.option(fc.tuple(fc.constantFrom(...GATE_WORDS), fc.nat(), fc.array(fc.boolean(), { minLength: 13, maxLength: 13 })), { freq: 2 }),
        (pa, pb, cut) => {
        let a = pa.join('');
        let b = pb.join('');
        if (cut !== null) {
          const [w0, at, upper] = cut;
          const w = [...w0].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          const k = at % (w.length + 1);
          a += w.slice(0, k);
          b = w.slice(k) + b;
        }
        const want = spansByRegex(a, b);
        if (want) spans++;
        expect(spansGate(a, b), JSON.stringify([a, b])).toBe(want);
        },
      ),
      { numRuns: 20000, seed: 14 },
    );
    // (the property ran on junctions that do hold a cut gate word)
    expect(spans).toBeGreaterThan(500);
    expect(spansGate('my secr', 'ET=x')).toBe(true);
    expect(spansGate('my secret', '=x')).toBe(false);
    expect(spansGate('worker', '.w1')).toBe(true);
    expect(spansGate('with', ' value')).toBe(true);
    expect(spansGate('-', '>')).toBe(true);
  });
});

describe('SecretLook.lookJoined', () => {
  it('says 0 or 1 only where noteText finds nothing in the joined text, and answers as look for the line', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces, '\n', '\n'), { maxLength: 30 }),
        fc.array(fc.constantFrom(...pieces), { maxLength: 5 }),
        (parts, tailParts) => {
          const tail = tailParts.join('');
          // (the caller's promise: the tail is printable ASCII with no gate word)
          if (/[^\t\r\x20-\x7e]/.test(tail) || GATE_I.test(tail)) return;
          const text = parts.join('');
          const look = new SecretLook();
          const fresh = new SecretLook();
          let start = 0;
          for (;;) {
            let nl = text.indexOf('\n', start);
            if (nl < 0) nl = text.length;
            const line = text.slice(start, nl);
            const lead = cleanLine(line).trimStart();
            const k = look.lookJoined(text, start, nl, line, tail, lead);
            const k0 = fresh.look(text, start, nl, line);
            if (k !== 2) {
              shortcuts++;
              const values = new SecretValues();
              values.noteText(tail + lead);
              expect(values.size, JSON.stringify([tail, lead])).toBe(0);
              // (exactly: noteText's first answer, printable ASCII with no gate word, is all it gives)
              expect(GATE_I.test(tail + lead), JSON.stringify([tail, lead])).toBe(false);
              expect(k, line).toBe(k0);
              // the line itself can be the next tail: printable ASCII, no gate word; and 0 means no keyword
              expect(/[^\t\r\x20-\x7e]/.test(line) || GATE_I.test(line), line).toBe(false);
              if (k === 0) expect(SECRET_HINT.test(line), line).toBe(false);
            }
            if (nl >= text.length) break;
            start = nl + 1;
          }
        },
      ),
      { numRuns: 5000, seed: 14 },
    );
    expect(shortcuts).toBeGreaterThan(1000);
  });
});

/** mail-wrap cut of a keyword (reader.ts cutsWord, as it was written when the shortcut came) */
function cutsWord(tail: string, next: string): boolean {
  const a = tail.charCodeAt(tail.length - 1) | 0x20;
  if (a < 97 || a > 122) return false;
  const n = next.trimStart();
  const b = n.charCodeAt(0) | 0x20;
  return b >= 97 && b <= 122 && SECRET_HINT.test(tail.slice(-8) + n.slice(0, 8));
}
const lastOf = (line: string): string => (line.length > 80 ? line.slice(-80) : line);

/**
 * Lines cut inside a gate word or right after one (each letter in either case), the line before
 * the cut often with a keyword and no gate word (systemd's `Started Session 7`), the line after it
 * with a separator and a value, or a line of noise.
 */
const cutLines = fc
  .array(
    fc.tuple(
      fc.boolean(),
      fc.constantFrom(...GATE_WORDS, 'session'),
      fc.nat(),
      fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
      fc.constantFrom('=', ': ', "' -> '", "' with value '", ' Basic ', '=[', '', ' '),
      fc.constantFrom('Xq7-value-1', 'dXNlcjpwdw==', 'deploy.', ''),
    ),
    { maxLength: 8 },
  )
  .map((cuts) => {
    let text = '';
    for (const [kw, w0, at, upper, sep, value] of cuts) {
      const w = [...w0].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
      const k = at % (w.length + 1);
      text += `${kw ? 'Started Session 7 of user ' : 'upstream '}${w.slice(0, k)}\n${w.slice(k)}${sep}${value} `;
    }
    return text;
  });

describe('the log reader collects the same secret values as reading every joined text', () => {
  for (const [what, texts] of [
    ['real pieces', fc.array(fc.constantFrom(...pieces, '\n', '\n', '\n'), { maxLength: 40 }).map((parts) => parts.join(''))],
    ['gate words and values cut by a line end', cutLines],
  ] as const)
  it(`line by line, whatever the keywords, gate words and values on either side of each line end (${what})`, () => {
    let values = 0;
    fc.assert(
      fc.property(texts, (text) => {
        const lines = text.split('\n');
        // the reference: every line read joined to the previous one's end whenever that end has a keyword
        const ref = new SecretValues();
        let prev = '';
        for (const raw of lines) {
          const s = cleanLine(raw);
          if (prev !== '' && raw.length < 4096 && (SECRET_HINT.test(lastOf(prev)) || cutsWord(prev, s))) ref.noteText(lastOf(prev) + s.trimStart());
          else ref.noteText(raw);
          prev = s;
        }
        inputSecrets.clear();
        const reader = new LogLineReader('x.log', lineContext({ tz: 'UTC' }));
        if (!/[^\t\n\r\x20-\x7e]/.test(text)) reader.plainChunk(text);
        let start = 0;
        for (const raw of lines) {
          reader.push(raw, text, start);
          start += raw.length + 1;
        }
        reader.end();
        expect(inputSecrets.size, text).toBe(ref.size);
        expect(inputSecrets.scrub(text), text).toBe(ref.scrub(text));
        values += ref.size;
        inputSecrets.clear();
      }),
      { numRuns: 3000, seed: 14 },
    );
    // (values were collected: the comparison could fail)
    expect(values).toBeGreaterThan(30);
  });
});
