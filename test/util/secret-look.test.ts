/**
 * The log reader asks SecretLook, once per chunk, whether a line may hold a secret keyword or a hidden
 * character before it hands the line to noteText (util/secrets.ts, logs/reader.ts). A line it says
 * no for must be one where noteText finds nothing: no SECRET_HINT keyword, no hidden character.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECRET_HINT, SecretLook, SecretValues } from '../../src/util/secrets.js';
import { plainBytes } from '../../src/logs/read.js';

const HIDDEN = /[\p{Cf}\uFFFD\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/u;

describe('SecretLook', () => {
  it('never says no for a line with a keyword or a hidden character', () => {
    // pieces of real lines (mod_jk's jk_map dump, a header dump) and odd characters, cut anywhere
    const pieces = ["Adding property 'worker.w1.secret' with value 'X' to map.", 'Header[1] [Cookie] = [JSESSIONID=abc]', 'Authorization: Basic dXNlcjpwdw==', 'SeSsIoN', 'pass', 'w', 'with', ' value', 'received from ajp13 pos=0', "' -> '", "'x->", '->', '-', '>', "'", 'ab', '\u200b', '\ufffd', '\x07', '\x7f', 'é', '\t', '\r', '\n', '\n', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const look = new SecretLook();
        let start = 0;
        for (;;) {
          let nl = text.indexOf('\n', start);
          if (nl < 0) nl = text.length;
          const line = text.slice(start, nl);
          const may = look.mayHold(text, start, nl);
          if (!may) {
            expect(SECRET_HINT.test(line), line).toBe(false);
            expect(HIDDEN.test(line), line).toBe(false);
          }
          // exactly: a keyword or an arrow of SECRET_HINT (looked for apart), or a character that is not printable ASCII
          expect(may, JSON.stringify(line)).toBe(SECRET_HINT.test(line) || /[^\t\n\r\x20-\x7e]/.test(line));
          if (nl >= text.length) break;
          start = nl + 1;
        }
      }),
      { numRuns: 3000, seed: 14 },
    );
  });

  it('look: 0 only where noteText finds nothing and says false (or the line is too short), 1 only where it finds nothing and says true', () => {
    // the pieces above, and a systemd line (`session` with no word a value pattern needs) and gate words
    const pieces = ["Adding property 'worker.w1.secret' with value 'X' to map.", 'Header[1] [Cookie] = [JSESSIONID=abc123456]', 'Authorization: Basic dXNlcjpwdw==', 'Nov 21 08:00:00 web1 systemd[1]: Started Session 7 of user deploy.', 'SeSsIoN', 'pass', 'w', 'worker.', 'basic ', '->', "' -> 'v4lu3x'", 'with', ' value', 'received from ajp13 pos=0', '\u200b', '\ufffd', '\x07', 'é', 'İ', '\t', '\r', '\n', '\n', '\n'];
    let ones = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.boolean(), (parts, plain) => {
        const text = parts.join('');
        const look = new SecretLook();
        // (plain: as the reader says of a chunk of printable ASCII)
        if (plain && !/[^\t\n\r\x20-\x7e]/.test(text)) look.plain(text);
        let start = 0;
        for (;;) {
          let nl = text.indexOf('\n', start);
          if (nl < 0) nl = text.length;
          const line = text.slice(start, nl);
          const k = look.look(text, start, nl, line);
          if (k !== 2) {
            const values = new SecretValues();
            // (a line under 8 characters is too short to be read: noteText says true for it, and finds nothing)
            expect(values.noteText(line), line).toBe(k === 1 || line.length < 8);
            expect(values.size, line).toBe(0);
            if (k === 1) ones++;
          }
          if (nl >= text.length) break;
          start = nl + 1;
        }
      }),
      { numRuns: 3000, seed: 14 },
    );
    expect(ones).toBeGreaterThan(50);
  });

  it('says no for a plain line, and starts again on another text', () => {
    const look = new SecretLook();
    const a = 'plain line\nsecret=x\nplain again';
    expect(look.mayHold(a, 0, 10)).toBe(false);
    expect(look.mayHold(a, 11, 19)).toBe(true);
    expect(look.mayHold(a, 20, a.length)).toBe(false);
    const b = 'x\u202ey';
    expect(look.mayHold(b, 0, b.length)).toBe(true);
  });
});

describe('SecretLook.plain (the reader knows a chunk has no odd character from its bytes)', () => {
  it('a keyword is still found in a plain chunk, and a plain line without one needs no look', () => {
    const look = new SecretLook();
    const a = 'plain line\nsecret=x\nplain again';
    look.plain(a);
    expect(look.mayHold(a, 0, 10)).toBe(false);
    expect(look.mayHold(a, 11, 19)).toBe(true);
    expect(look.mayHold(a, 20, a.length)).toBe(false);
  });

  it('plainBytes says plain exactly for ASCII bytes with no control character but tab, LF and CR, and no DEL', () => {
    const NOT_PLAIN = /[^\t\n\r\x20-\x7e]/;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }).map((a) => a.map((b) => (b < 128 ? b : b & 0x7f))), fc.constantFrom(0, 1, 2, 3), (bytes, spread) => {
        // mostly printable bytes, now and then any ASCII byte
        const b = Buffer.from(bytes.map((x, i) => (spread === 0 || i % (spread * 7) !== 0 ? 0x20 + (x % 95) : x)));
        expect(plainBytes(b)).toBe(!NOT_PLAIN.test(b.toString('latin1')));
      }),
      { numRuns: 5000, seed: 14 },
    );
  });
});
