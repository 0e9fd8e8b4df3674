/**
 * The verdict first, causes before their consequences, on every sample run with all the logs of the
 * same run (issue 11). The expected causes come from each sample's README (what the real httpd /
 * mod_jk / Tomcat run did: samples/expected-diagnoses.json), not from this tool.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../helpers/cli.js';

interface F { id: string; severity: string; confidence: string; causedBy?: string; explains?: string[]; evidence: unknown[] }
interface R { verdict: null | { id: string; text: string; explains?: string[]; otherCauses: string[] }; findings: F[] }

const expected = JSON.parse(readFileSync(join(root, 'samples/expected-diagnoses.json'), 'utf8')) as Record<string, { must: string[]; may: string[] } | string>;
const LOGS = ['mod_jk.log', 'mod_jk-info.log', 'error_log', 'catalina.out'];
/** Rules that name a consequence, never a cause of their own (rules/causes/*: `consequence: true`). */
const CONSEQUENCES = new Set(['lb-all-members-failed', 'lb-error-escalation']);

function args(sample: string): string[] {
  const a = [`samples/${sample}/capture.pcap`, '--ajp-port', '18009'];
  for (const l of LOGS) if (existsSync(join(root, 'samples', sample, l))) a.push('--log', `samples/${sample}/${l}`);
  return a;
}

describe('the verdict names the right cause on every sample (capture and all its logs)', () => {
  for (const [sample, exp] of Object.entries(expected)) {
    if (typeof exp === 'string') continue;
    it(sample, () => {
      const j = runCli([...args(sample), '-T', 'json']);
      expect(j.err).toBe('');
      const r = JSON.parse(j.out) as R;
      const text = runCli(args(sample)).out.split('\n')[0];
      if (!exp.must.length) {
        expect(r.verdict).toBeNull();
        expect(text).toMatch(/^Verdict: no root cause found/);
        return;
      }
      // the first line and JSON's verdict name one of the causes the run really had
      expect(exp.must).toContain(r.verdict?.id);
      expect(r.findings[0].id).toBe(r.verdict?.id);
      expect(text).toBe(`Verdict: ${r.verdict?.text}`);
      // no finding the run did not have; every required cause present
      for (const f of r.findings) expect([...exp.must, ...exp.may]).toContain(f.id);
      for (const m of exp.must) expect(r.findings.map((f) => f.id)).toContain(m);
      // a consequence comes after its cause, and never at the top while a cause was found
      r.findings.forEach((f, i) => {
        if (f.causedBy !== undefined) expect(r.findings.slice(0, i).map((x) => x.id)).toContain(f.causedBy);
        if (CONSEQUENCES.has(f.id) && r.findings.some((x) => !CONSEQUENCES.has(x.id) && x.severity !== 'info')) expect(f.causedBy).toBeDefined();
      });
    });
  }
});

describe('causal order', () => {
  it('backend-restart: the restart (stop and start back to back in catalina.out) explains the refused connects, listed under it', () => {
    const r = JSON.parse(runCli([...args('backend-restart'), '-T', 'json']).out) as R;
    expect(r.findings.map((f) => [f.id, f.causedBy])).toEqual([
      ['backend-restart', undefined],
      ['backend-down-or-wrong-port', 'backend-restart'],
    ]);
    expect(r.verdict?.explains).toEqual(['backend-down-or-wrong-port']);
    // the consequence keeps its own severity: ranked under its cause, not above it
    expect(r.findings[1].severity).toBe('error');
  });
  it('backend-down: stopped, started again 13 s later by hand: the backend was down, the restart is not its cause', () => {
    const r = JSON.parse(runCli([...args('backend-down'), '-T', 'json']).out) as R;
    expect(r.findings[0].id).toBe('backend-down-or-wrong-port');
    expect(r.findings.find((f) => f.id === 'backend-down-or-wrong-port')?.causedBy).toBeUndefined();
  });
  it('text: root causes right after the verdict, consequences numbered and indented under their cause, details after', () => {
    const out = runCli(args('backend-restart')).out;
    const lines = out.split('\n');
    expect(lines[2]).toBe('Root causes:');
    expect(out).toMatch(/│ 1\.1 +│ error +│ confirmed +│ +└ backend-down-or-wrong-port/);
    expect(out).toMatch(/\n  1\.1\. backend-down-or-wrong-port — .* — a consequence of backend-restart\n/);
    expect(out.indexOf('Root causes:')).toBeLessThan(out.indexOf('Details:'));
    expect(out.indexOf('Details:')).toBeLessThan(out.indexOf('File:'));
  });
});

describe('identical lines fed twice count once', () => {
  const count = (a: string[]) => (JSON.parse(runCli(['diagnose', ...a, '-T', 'json']).out) as R).findings.map((f) => `${f.id}:${f.evidence.length}:${(f as unknown as { explanation: string }).explanation}`);
  it('the same file twice', () => {
    const once = count(['samples/reply-timeout/mod_jk.log']);
    expect(count(['samples/reply-timeout/mod_jk.log', 'samples/reply-timeout/mod_jk.log'])).toEqual(once);
  });
  it('the debug and the info log of the same run: no CPing-timeout count doubled into a thread-exhaustion finding', () => {
    const both = JSON.parse(runCli(['diagnose', 'samples/firewall-idle-drop/mod_jk-info.log', 'samples/firewall-idle-drop/mod_jk.log', '-T', 'json']).out) as R;
    expect(both.findings.map((f) => f.id)).toEqual(['firewall-idle-drop']);
  });
});
