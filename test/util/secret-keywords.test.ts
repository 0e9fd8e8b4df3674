/**
 * noteText runs each value pattern only where its keyword occurs, looked for in the lower-cased text
 * (issue 14: `Started Session 12` lines are no lines for the password patterns). A line with several
 * keywords in any case still gives every value, and a character that only lower-cases to a keyword's
 * letter (the Kelvin sign, U+212A → `k`) makes no keyword where the patterns see none.
 */
import { describe, expect, it } from 'vitest';
import { SECRET_HINT, SecretValues } from '../../src/util/secrets.js';

describe('noteText by keyword', () => {
  it('every value of a line that holds several keywords, in any case', () => {
    const v = new SecretValues();
    v.noteText('SESSION expired; PassWord=Pw-value-01 COOKIE: sid=Ck-value-02; JSESSIONID=Js-value-03 AUTHORIZATION: Basic QmFzaWMtdmFsdWUtMDQ=');
    for (const x of ['Pw-value-01', 'Ck-value-02', 'Js-value-03', 'QmFzaWMtdmFsdWUtMDQ=']) expect(v.scrub(x), x).toBe('[redacted]');
    const w = new SecretValues();
    // jk_map.c jk_map_read_property's line with its key cut off, and a dump line with the key cut off
    w.noteText("cret' WITH VALUE 'Wv-value-05' to map. et' -> 'Dv-value-06'");
    expect(w.scrub('Dv-value-06')).toBe('[redacted]');
    // (KEYLESS_JK_MAP_VALUE is case-sensitive: jk_map.c prints `with value` in lower case)
    expect(w.scrub('Wv-value-05')).toBe('Wv-value-05');
  });

  it('a keyword only lower-casing makes is none (the Kelvin sign in coo\u212Aie)', () => {
    const text = 'Coo\u212Aie: sid=Kv-value-07; other=1';
    expect(SECRET_HINT.test(text)).toBe(false);
    const v = new SecretValues();
    expect(v.noteText(text)).toBe(false);
    expect(v.size).toBe(0);
  });

  it('a line with `session` and no other keyword gives nothing, and says it holds a keyword', () => {
    const v = new SecretValues();
    expect(v.noteText('Nov 21 08:00:00 web1 systemd[1]: Started Session 167 of user deploy.')).toBe(true);
    expect(v.size).toBe(0);
  });
});
