/**
 * The sample corpus (real httpd 2.4 + mod_jk 1.2.48 + Tomcat 10.1 runs): each scenario is diagnosed as
 * samples/expected-diagnoses.json says — every `must` id found, nothing outside `must` + `may` — from
 * the debug mod_jk log and from the info-level one, each with the httpd error_log and catalina.out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, sample } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXPECTED = JSON.parse(readFileSync(`${ROOT}samples/expected-diagnoses.json`, 'utf8')) as Record<string, { must: string[]; may: string[] } | string>;

describe('samples (expected-diagnoses.json)', () => {
  it('lists the baseline and the fault scenarios', () => {
    expect(Object.keys(EXPECTED)).toContain('baseline');
    expect(Object.keys(EXPECTED).length).toBeGreaterThan(5);
  });
  for (const [name, e] of Object.entries(EXPECTED)) {
    if (typeof e === 'string') continue;
    for (const jk of ['mod_jk.log', 'mod_jk-info.log']) {
      const files = [jk, 'error_log', 'catalina.out'].filter((f) => existsSync(`${ROOT}samples/${name}/${f}`));
      it.skipIf(!files.length)(`${name} (${files.join(' + ')}): ${e.must.join(' + ') || 'nothing'}`, () => {
        const r = run(sample(name, files));
        for (const id of e.must) expect(r.ids, r.ids.join(', ')).toContain(id);
        const extra = r.ids.filter((id) => !e.must.includes(id) && !e.may.includes(id));
        expect(extra, r.findings.map((f) => `${f.id}: ${f.explanation}`).join('\n')).toEqual([]);
        if (name === 'baseline') expect(r.findings).toEqual([]);
      });
    }
  }
});
