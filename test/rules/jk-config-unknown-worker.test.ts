import { describe, expect, it } from 'vitest';
import { evidenceText, fx, parse, paste, sample, run } from './harness.js';
import { diagnose } from '../../src/rules/index.js';
import { addExcerpts, emptyFacts } from '../../src/config/index.js';

const ID = 'jk-config-unknown-worker';

describe(ID, () => {
  it("finds it: real-log-excerpts E19 (sample status mounts only)", () => {
    const r = run(fx('excerpts/E19.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('info');
    expect(evidenceText(f).some((t) => t.includes("Could not find worker with name 'jk-manager'"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E18 (with lb failures: workers file not read)", () => {
    const r = run(fx('excerpts/E18.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("'jk-status'"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
});

describe(`${ID}: the workers.properties given defines the worker`, () => {
  it('ko-notes-debian-httpd-jk-conf-not-loaded (real post quoting its workers.properties beside the log): another file is read, not "define the worker"', () => {
    const slug = 'ko-notes-debian-httpd-jk-conf-not-loaded';
    const input = paste(slug);
    const config = emptyFacts();
    addExcerpts(config, input.path, input.text);
    const f = diagnose({ ...parse(input), config }).findings.find((x) => x.id === ID)!;
    expect(f.explanation).toMatch(/defines and lists 'ajp13_worker', yet mod_jk did not find it: the workers file mod_jk read is another one/);
    expect(String(f.remedy)).toMatch(/^Find the JkWorkersFile httpd really reads/);
    // without the configuration, the generic reading
    expect(run(input).get(ID)!.explanation).toMatch(/^The workers file in effect does not define 'ajp13_worker'/);
  });
});
