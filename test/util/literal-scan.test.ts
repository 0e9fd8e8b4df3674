import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LiteralScan } from '../../src/util/literal-scan.js';
import { trieSource } from '../../src/util/trie-regex.js';
import { collectSignals, rules } from '../../src/rules/index.js';

/** What LiteralScan stands in for: the rules' needle regex (rules/intake.ts), flags `gi`. */
const regexOf = (lits: string[]) => new RegExp(trieSource(lits), 'i');

describe('LiteralScan', () => {
  // The rules' real needles (mod_jk, httpd, Tomcat messages in every locale Tomcat ships).
  const needles = [...new Set(collectSignals(rules).flatMap((d) => d.needles.map((n) => n.toLowerCase())))];
  const re = regexOf(needles);
  const scan = new LiteralScan(needles);

  it('says what the needle regex says on real lines, and lets every non-ASCII line through', () => {
    // mod_jk 1.2.48 (samples/backend-down/mod_jk.log), httpd 2.4, Tomcat 9 juli, an access log line
    const lines = [
      '[Sat Nov 21 08:00:01.037 2026] [20001:140536740562624] [error] ajp_send_request::jk_ajp_common.c (1724): (node1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
      '[Sat Nov 21 08:00:00.037 2026] [20001:140536740562624] [debug] ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=51 max=8192',
      'Received from AJP13 POS=0 LEN=51 MAX=8192',
      'CONNECTING TO BACKEND FAILED',
      '10.1.0.0 - - [21/Nov/2026:08:00:00 +0000] "GET /app/page0?q=0 HTTP/1.1" 200 4000 "-" "Mozilla/5.0"',
      '21-Nov-2026 08:00:00.000 SEVERE [main] org.apache.coyote.AbstractProtocol.start Failed to start end point associated with ProtocolHandler ["ajp-nio-8009"]',
      '21-Nov-2026 08:00:00.000 情報 [main] org.apache.coyote.AbstractProtocol.init プロトコルハンドラ ["ajp-nio-8009"] を初期化します。',
      'nothing here at all',
      '',
    ];
    for (const l of lines) {
      if (/[^\x00-\x7f]/.test(l)) expect(scan.mayOccur(l), l).toBe(true);
      else expect(scan.mayOccur(l), l).toBe(re.test(l));
    }
  });

  it('agrees with the regex on any ASCII text, and never says no where the regex matches', () => {
    // (up to 16 characters: a longer literal is looked for by its first 16, see the next test)
    const lits = ['connect to ', 'Connecting to tom', 'tomcat failed', 'ab', 'abc', 'b(c', ' 50', 'errno=111', 'é', 'xé'];
    const r = regexOf(lits);
    const s = new LiteralScan(lits);
    // texts made of the literals' own characters, so that near misses and overlaps are frequent
    const alphabet = fc.constantFrom(...'connect toCONNECTabB(5019=éx\t-'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), fc.array(fc.constantFrom(...lits), { maxLength: 2 }), (noise, parts) => {
        for (const t of [noise, parts.join(noise.slice(0, 3)) + noise]) {
          const may = s.mayOccur(t);
          if (r.test(t)) expect(may, t).toBe(true);
          if (!/[^\x00-\x7f]/.test(t)) expect(may, t).toBe(r.test(t));
        }
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it('looks for a literal longer than 16 characters by its first 16', () => {
    const s = new LiteralScan(['connecting to backend failed']);
    expect(s.mayOccur('(node1) CONNECTING TO BACKEND FAILED. Tomcat')).toBe(true);
    expect(s.mayOccur('connecting to backend')).toBe(true);
    expect(s.mayOccur('xconnecting to ba')).toBe(true);
    expect(s.mayOccur('connecting to b')).toBe(false);
  });

  it('finds nothing with no literal, and nothing of a literal with a non-ASCII character in ASCII text', () => {
    expect(new LiteralScan([]).mayOccur('anything')).toBe(false);
    const s = new LiteralScan(['überlauf']);
    expect(s.mayOccur('uberlauf UEBERLAUF')).toBe(false);
    expect(s.mayOccur('Überlauf')).toBe(true);
  });
});

describe('LiteralScan.of', () => {
  it('shares one scan between callers asking for the same set (in any order), and builds another for another set', () => {
    const a = LiteralScan.of(['tomcat failed', 'connect to ']);
    expect(LiteralScan.of(['connect to ', 'tomcat failed'])).toBe(a);
    const b = LiteralScan.of(['tomcat failed']);
    expect(b).not.toBe(a);
    expect(b.mayOccur('connect to x')).toBe(false);
    // (a set is told from another by its literals, not by how they join: a line end in a literal)
    expect(LiteralScan.of(['a\nb'])).not.toBe(LiteralScan.of(['a', 'b']));
    expect(LiteralScan.of(['a', 'b']).mayOccur('b')).toBe(true);
  });
});
