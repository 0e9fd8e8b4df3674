/**
 * The sample corpus (real httpd 2.4 + mod_jk 1.2.48 + Tomcat 10.1 runs, samples/<scenario>/README.md):
 * each fault scenario is diagnosed as its README says, and the baseline has no error or warning finding.
 * Scenarios not present yet are skipped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, sample } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const have = (s: string, f = 'mod_jk.log'): boolean => existsSync(`${ROOT}samples/${s}/${f}`);

const SCENARIOS: { name: string; expect: string[]; not: string[] }[] = [
  { name: 'backend-down', expect: ['backend-down-or-wrong-port', 'lb-all-members-failed'], not: ['cping-desync-leftover-packets', 'firewall-idle-drop'] },
  { name: 'client-abort', expect: ['client-abort-download', 'client-abort-upload'], not: ['cping-desync-leftover-packets', 'lingering-close-cpu-spike'] },
  { name: 'secret-mismatch', expect: ['ajp-secret-mismatch'], not: ['backend-down-or-wrong-port'] },
  { name: 'reply-timeout', expect: ['slow-backend-reply-timeout'], not: ['backend-down-or-wrong-port'] },
];

describe('samples', () => {
  describe('baseline', () => {
    it.skipIf(!have('baseline'))('debug mod_jk log + error_log + catalina.out: no error or warning finding', () => {
      const r = run(sample('baseline'));
      expect(r.events.length).toBeGreaterThan(3000);
      expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.id)).toEqual([]);
    });
    it.skipIf(!have('baseline', 'mod_jk-info.log'))('info mod_jk log: no finding at all', () => {
      expect(run(sample('baseline', ['mod_jk-info.log'])).findings).toEqual([]);
    });
  });
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      for (const files of [['mod_jk.log', 'error_log', 'catalina.out'], ['mod_jk-info.log', 'error_log']]) {
        it.skipIf(!files.every((f) => have(s.name, f)))(`${files.join(' + ')}: ${s.expect.join(' + ')}`, () => {
          const r = run(sample(s.name, files));
          for (const id of s.expect) expect(r.ids, r.ids.join(', ')).toContain(id);
          for (const id of s.not) expect(r.ids).not.toContain(id);
        });
      }
    });
  }
});
