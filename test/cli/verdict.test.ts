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

describe('logs and capture: clock alignment and evidence scoped to its subject', () => {
  const diag = (extra: string[]) => runCli(['diagnose', ...extra, '-T', 'json']);
  it('same host clocks: the offset is estimated near 0 and reported', () => {
    const r = JSON.parse(diag(['samples/backend-restart/mod_jk.log', '--capture', 'samples/backend-restart/capture.pcap', '--ajp-port', '18009']).out) as { logs: { clock: { applied: boolean; offsetMs: number; support: number; warnings: string[] } } };
    expect(r.logs.clock.applied).toBe(true);
    expect(Math.abs(r.logs.clock.offsetMs)).toBeLessThan(100);
    expect(r.logs.clock.support).toBeGreaterThanOrEqual(3);
    expect(r.logs.clock.warnings).toEqual([]);
  });
  it('a wrong --log-tz: the whole-hour offset is found, applied and warned about', () => {
    const run = diag(['samples/backend-restart/mod_jk.log', '--capture', 'samples/backend-restart/capture.pcap', '--ajp-port', '18009', '--log-tz', '+01:00']);
    const r = JSON.parse(run.out) as { logs: { clock: { applied: boolean; offsetMs: number } }; findings: F[] };
    expect(Math.round(r.logs.clock.offsetMs / 60000)).toBe(60);
    expect(r.logs.clock.applied).toBe(true);
    expect(run.err).toMatch(/warning: the logs' times are 1 h behind the capture's .*wrong --log-tz/);
    // applied: the capture evidence still joins the log finding
    expect(r.findings.find((f) => f.id === 'backend-down-or-wrong-port')?.evidence.some((e) => (e as { source: string }).source === 'capture')).toBe(true);
  });
  it('a log of another incident: no overlap is reported and its findings carry no capture evidence', () => {
    const run = runCli(['samples/backend-down/capture.pcap', '--ajp-port', '18009', '--log', 'samples/reply-timeout/mod_jk.log', '-T', 'json']);
    expect(run.err).toMatch(/warning: the logs \(2026-11-21 10:54:19–.*\) and the capture \(2026-11-21 10:48:11–.*\) do not overlap in time/);
    const r = JSON.parse(run.out) as { findings: F[] };
    const timeout = r.findings.find((f) => f.id === 'slow-backend-reply-timeout');
    expect(timeout?.evidence.every((e) => (e as { source: string }).source === 'log')).toBe(true);
  });
  it('secret-mismatch: each worker finding carries the capture requests of its own worker only', () => {
    const r = JSON.parse(diag(['samples/secret-mismatch/mod_jk.log', '--capture', 'samples/secret-mismatch/capture.pcap', '--ajp-port', '18009']).out) as { findings: { id: string; subject?: { worker?: string }; evidence: { source: string; detail?: string }[] }[] };
    for (const worker of ['nosecret', 'wrongsecret']) {
      const f = r.findings.find((x) => x.subject?.worker === worker);
      const uris = f!.evidence.filter((e) => e.source === 'capture').map((e) => /GET (\S+)/.exec(e.detail ?? '')?.[1]);
      expect(uris.length).toBeGreaterThan(0);
      // the other worker's requests and mod_proxy_ajp's wrong-secret requests (not in mod_jk.log) are not its evidence
      for (const u of uris) expect(u).not.toMatch(worker === 'nosecret' ? /wrongsecret/ : /nosecret/);
    }
  });
});

describe('evidence that belongs to its finding', () => {
  it('client-abort: the download abort cites its own socket shutdown, not the upload abort 6 s later', () => {
    const r = JSON.parse(runCli(['diagnose', 'samples/client-abort/mod_jk.log', '-T', 'json']).out) as { findings: { id: string; evidence: { line?: number; text?: string }[] }[] };
    const down = r.findings.find((f) => f.id === 'client-abort-download')!;
    const up = r.findings.find((f) => f.id === 'client-abort-upload')!;
    const downLines = down.evidence.map((e) => e.line);
    for (const e of up.evidence) expect(downLines).not.toContain(e.line);
    // the upload's socket (local port 37198) shut down after the read error is not the download's
    expect(down.evidence.some((e) => e.text?.includes('127.0.0.1:37198'))).toBe(false);
  });
});

describe('remedies quote what the inputs show', () => {
  const remedy = (a: string[], id: string) => (JSON.parse(runCli([...a, '-T', 'json']).out) as { findings: { id: string; remedy: string }[] }).findings.find((f) => f.id === id)!.remedy;
  it('firewall-idle-drop: the shortest silence seen (31 s), a pool timeout below it in each side\'s unit, the real port', () => {
    const r = remedy(['samples/firewall-idle-drop/capture.pcap', '--ajp-port', '18009', '--log', 'samples/firewall-idle-drop/mod_jk.log'], 'firewall-idle-drop');
    expect(r).toMatch(/dropped after 31\.\d–38\.\d s of silence/);
    expect(r).toMatch(/worker\.node1\.connection_pool_timeout=23 \(seconds\)/);
    expect(r).toMatch(/<Connector port="18009" protocol="AJP\/1\.3" keepAliveTimeout="23000"/);
  });
  it('packet-size: the sizes seen on the wire and the value to set on the other side', () => {
    const a = ['samples/packet-size/capture.pcap', '--ajp-port', '18009'];
    const all = (JSON.parse(runCli([...a, '-T', 'json']).out) as { findings: { id: string; remedy: string }[] }).findings.filter((f) => f.id === 'packet-size-mismatch').map((f) => f.remedy).join('\n');
    expect(all).toMatch(/container sends packets of up to 65536 bytes.*max_packet_size=65536/);
    expect(all).toMatch(/web server sends request packets of up to 10221 bytes.*packetSize="10240"/);
  });
  it('reply-timeout: the wait the wire shows is the timeout in effect', () => {
    const r = remedy(['samples/reply-timeout/capture.pcap', '--ajp-port', '18009', '--log', 'samples/reply-timeout/mod_jk.log'], 'slow-backend-reply-timeout');
    expect(r).toMatch(/gave up 1\.0 s after sending the request .*worker\.node1\.reply_timeout=1000, in ms/);
  });
});

describe('remedies name the ports the capture shows', () => {
  it('http-client-on-ajp-port on a connector at 18009 says 18009, not the default 8009', () => {
    const r = JSON.parse(runCli(['samples/ghostcat-probe/capture.pcap', '--ajp-port', '18009', '-T', 'json']).out) as { findings: { id: string; remedy: string }[] };
    expect(r.findings.find((f) => f.id === 'http-client-on-ajp-port')!.remedy.split('\n')[0]).toMatch(/^Seen on port 18009: /);
  });
  it("a rule's generic remedy (ss -ltnp | grep 8009, nc -vz <host> 8009) quotes the port of the backend the finding is about", () => {
    const r = JSON.parse(runCli(['samples/backend-down/capture.pcap', '--ajp-port', '18009', '-T', 'json']).out) as { findings: { id: string; remedy: string }[] };
    const remedy = r.findings.find((f) => f.id === 'backend-down-or-wrong-port')!.remedy;
    expect(remedy).toContain('ss -ltnp | grep 18009');
    expect(remedy).toContain('nc -vz <host> 18009');
    expect(remedy).not.toMatch(/\b8009\b/);
  });
});
