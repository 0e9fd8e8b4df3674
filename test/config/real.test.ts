/**
 * Real configurations from public repositories (test/fixtures/configs/real/<name>/, each with a
 * source.json: repository, commit, file URLs, the problems it really has — decided by reading it
 * against the mod_jk / Tomcat / httpd documentation, not by running the tool — and the ones no rule
 * catches, under `missed`). Every fixture's files are audited together: the checks at warning or
 * above must be exactly the expected ones (so good configurations stay clean).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfigs } from '../../src/config/index.js';
import { configRules, diagnose } from '../../src/rules/index.js';
import { memFiles } from '../rules/config-harness.js';

const DIR = fileURLToPath(new URL('../fixtures/configs/real/', import.meta.url));

interface Source {
  repo: string;
  commit: string;
  files: { file: string; path: string; url: string }[];
  expect: { warning: string[] };
  notes: string;
  missed?: string[];
}

const fixtures = readdirSync(DIR).filter((d) => !d.includes('.')).sort();

describe('real configurations', () => {
  it('at least 30, each with its source', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    for (const f of fixtures) {
      const s = JSON.parse(readFileSync(`${DIR}${f}/source.json`, 'utf8')) as Source;
      expect(s.repo, f).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(s.commit, f).toMatch(/^[0-9a-f]{40}$/);
      for (const x of s.files) expect(x.url, f).toBe(`https://github.com/${s.repo}/blob/${s.commit}/${x.path}`);
      expect(s.notes.length, f).toBeGreaterThan(20);
    }
  });
  for (const f of fixtures) {
    const s = JSON.parse(readFileSync(`${DIR}${f}/source.json`, 'utf8')) as Source;
    it(`${f} (${s.repo}): ${s.expect.warning.length ? s.expect.warning.join(', ') : 'clean at warning'}`, () => {
      const texts = Object.fromEntries(s.files.map((x) => [x.file, readFileSync(`${DIR}${f}/${x.file}`, 'utf8')]));
      // The files as they were given, in that order; Includes and JkWorkersFile resolve among them only
      // (the repositories hold part of a server's tree: Includes of the rest are skipped).
      const facts = readConfigs(Object.entries(texts).map(([path, text]) => ({ path, text })), memFiles(texts), { missingIncludes: 'skip' });
      const findings = diagnose({ events: [], config: facts }, { rules: configRules }).findings;
      expect([...new Set(findings.filter((x) => x.severity !== 'info').map((x) => x.id))].sort()).toEqual([...s.expect.warning].sort());
    });
  }
});
