import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules, renderRuleDoc, renderRulesIndex } from '../../src/rules/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Copy of the id column of root-causes.md (tests never read the shared reference). */
const KNOWN = readFileSync(ROOT + 'test/fixtures/rules/root-cause-ids.txt', 'utf8').split('\n').filter(Boolean);
/** Causes grown from the corpus of real pastes (test/fixtures/logs/pastes/): each is the `cause` of at least one paste. */
const CORPUS = readFileSync(ROOT + 'test/fixtures/rules/corpus-cause-ids.txt', 'utf8').split('\n').filter(Boolean);
/** The mod_cluster (MCMP) causes issue 10 added; the project's list predates MCMP. */
const MCMP = readFileSync(ROOT + 'test/fixtures/rules/mcmp-root-cause-ids.txt', 'utf8').split('\n').filter(Boolean);
/** Causes whose messages the catalogue of mod_jk / httpd messages has and no list above (e.g. unresolvable worker hosts). */
const CATALOGUE = readFileSync(ROOT + 'test/fixtures/rules/catalogue-cause-ids.txt', 'utf8').split('\n').filter(Boolean);
/** The configuration checks of issue 13 (they read config/ facts, no log line). */
const CONFIG = readFileSync(ROOT + 'test/fixtures/rules/config-rule-ids.txt', 'utf8').split('\n').filter(Boolean);
/** Findings issue 11 asked for: statistics from access logs / JkRequestLog read as evidence. */
const STATISTICS = readFileSync(ROOT + 'test/fixtures/rules/statistics-cause-ids.txt', 'utf8').split('\n').filter(Boolean);
/**
 * Causes told by httpd's own messages (server/protocol.c), which neither the project's list nor the
 * catalogue of mod_jk / mod_proxy_ajp messages has: each tested on published log lines
 * (test/fixtures/rules/published/, their sources in its README).
 */
const PUBLISHED = readFileSync(ROOT + 'test/fixtures/rules/published-cause-ids.txt', 'utf8').split('\n').filter(Boolean);

describe('rule catalogue', () => {
  it('has the 31 root-cause ids to check against', () => {
    expect(KNOWN).toHaveLength(31);
    expect(KNOWN).toContain('cping-desync-leftover-packets');
  });
  it('covers at least 25 causes, each id once and from root-causes.md, the MCMP list or the corpus of real pastes', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(25);
    for (const id of ids) expect([...KNOWN, ...MCMP, ...CORPUS, ...CATALOGUE, ...CONFIG, ...STATISTICS, ...PUBLISHED], id).toContain(id);
  });
  it('every cause grown from the corpus is the conclusion of at least one real paste', () => {
    const dir = ROOT + 'test/fixtures/logs/pastes/';
    const causes = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(dir + f, 'utf8')).cause as string | null));
    for (const id of CORPUS) expect(causes.has(id), id).toBe(true);
  });
  it('has a rule for every MCMP cause (node state, removal, MEM, SYNTAX, unanswered STATUS, httpd restart)', () => {
    expect(MCMP).toHaveLength(6);
    for (const id of MCMP) expect(rules.map((r) => r.id)).toContain(id);
  });
  it('docs/rules/README.md lists every rule (generated)', () => {
    expect(readFileSync(ROOT + 'docs/rules/README.md', 'utf8')).toBe(renderRulesIndex(rules));
  });
  it('leaves out only the cause without a log signature', () => {
    const missing = KNOWN.filter((id) => !rules.some((r) => r.id === id));
    expect(missing).toEqual(['response-not-flushed']);
  });
  for (const r of rules) {
    describe(r.id, () => {
      it('has title, severity, summary, remedy with directives, references', () => {
        expect(r.title.length).toBeGreaterThan(10);
        expect(['error', 'warning', 'info']).toContain(r.severity);
        expect(r.docs.summary.length).toBeGreaterThan(40);
        expect(r.docs.remedy.length).toBeGreaterThan(0);
        for (const line of r.docs.remedy) expect(line.length).toBeGreaterThan(15);
        expect(r.docs.references.length).toBeGreaterThan(0);
      });
      it('declares the log signals it reads, each with a needle and a pattern or read from the parsed line (a configuration check: the configuration kinds)', () => {
        if (CONFIG.includes(r.id)) expect(r.needs.config?.length ?? 0).toBeGreaterThan(0);
        else expect(r.needs.logs.length).toBeGreaterThan(0);
        for (const s of r.needs.logs) {
          expect(s.kind).toMatch(/^[a-z0-9-]+$/);
          expect(s.needles.length + (s.fromEvent?.dialects.length ?? 0)).toBeGreaterThan(0);
        }
      });
      it('has its test file and an up-to-date doc page', () => {
        expect(existsSync(`${ROOT}test/rules/${r.id}.test.ts`)).toBe(true);
        const doc = `${ROOT}docs/rules/${r.id}.md`;
        expect(existsSync(doc)).toBe(true);
        expect(readFileSync(doc, 'utf8')).toBe(renderRuleDoc(r));
      });
    });
  }
});
