/**
 * Capture-only diagnosis on EVERY real sample capture (samples/<scenario>/capture.pcap): the analysis
 * seam (inspect → the AJP and MCMP verticals → evidence) then the rules, with no log at all. For each scenario the findings must
 * stay within samples/expected-diagnoses.json's must ∪ may (anything else is a false positive), and the
 * must-ids the wire can show must be there, each backed by capture evidence with frame numbers.
 * The same captures joined with the same run's logs must still give must ⊆ ids ⊆ must ∪ may.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analyze/index.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';
import { diagnose } from '../../src/rules/index.js';
import { parse, sample } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXPECTED = JSON.parse(readFileSync(`${ROOT}samples/expected-diagnoses.json`, 'utf8')) as Record<string, { must: string[]; may: string[] } | string>;

/**
 * Per scenario, the must-ids the capture ALONE shows. The others cannot be seen on the wire:
 * - backend-down: lb-all-members-failed is mod_jk's lb state (its only member in error); the wire shows the
 *   refused connects, not that no other member was left.
 * - packet-size: request-exceeds-packet-size — mod_jk (413) and mod_proxy_ajp (400) refuse the request
 *   before sending anything, so the AJP side of the capture has nothing; the oversized packets that were
 *   sent (and refused by the other side) are packet-size-mismatch.
 * Everything else each scenario must name is visible: refused SYNs, 403 + reuse=0, include attributes,
 * HTTP bytes on the AJP port, unanswered CPINGs, the web server's closes before any reply, oversized
 * packets and the reaction to them, FINs/RSTs mid-response or mid-upload, retransmitted CPINGs after idle.
 */
const VISIBLE: Record<string, string[]> = {
  baseline: [],
  'backend-down': ['backend-down-or-wrong-port'],
  'backend-restart': ['backend-restart'],
  'firewall-idle-drop': ['firewall-idle-drop'],
  'reply-timeout': ['slow-backend-reply-timeout'],
  'client-abort': ['client-abort-download', 'client-abort-upload'],
  'secret-mismatch': ['ajp-secret-mismatch'],
  'packet-size': ['packet-size-mismatch'],
  'ghostcat-probe': ['ghostcat-probe', 'http-client-on-ajp-port'],
  overload: ['backend-thread-exhaustion'],
  'proxy-ajp-faults': ['backend-down-or-wrong-port', 'slow-backend-reply-timeout', 'mod-proxy-ajp-cping-failure', 'backend-thread-exhaustion'],
  // MCMP lifecycle with an operator's bad messages (samples/mcmp/README.md); its AJP side is healthy.
  mcmp: ['mcmp-syntax-error', 'mcmp-mem-error', 'mcmp-node-removed', 'mcmp-node-not-ok'],
};

/** AJP ports of the sample runs (samples/make: Tomcat on 18009; the mcmp sample's node2 on 18010). */
const PORTS = [18009, 18010];

/** Every vertical's evidence (AJP and MCMP), through the one analysis seam the CLI uses. */
async function captureEvidence(scenario: string): Promise<CaptureEvidence[]> {
  return (await analyzeCapture(`${ROOT}samples/${scenario}/capture.pcap`, { ajpPorts: PORTS, packetSize: 8192 })).evidence;
}

function expected(scenario: string): { must: string[]; may: string[] } {
  const e = EXPECTED[scenario];
  return e === undefined || typeof e === 'string' ? { must: [], may: [] } : e;
}

const scenarios = readdirSync(`${ROOT}samples`).filter((d) => existsSync(`${ROOT}samples/${d}/capture.pcap`));

describe('capture-only diagnosis of every sample capture', () => {
  it('covers every sample capture, and lists only ids its scenario must name', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
    expect(Object.keys(VISIBLE).sort()).toEqual([...scenarios].sort());
    for (const [s, ids] of Object.entries(VISIBLE)) for (const id of ids) expect(expected(s).must, s).toContain(id);
  });

  for (const scenario of scenarios) {
    it(`${scenario}: ${VISIBLE[scenario]?.join(' + ') || 'nothing'}, nothing outside must ∪ may`, async () => {
      const { must, may } = expected(scenario);
      const r = diagnose({ events: [], capture: await captureEvidence(scenario) });
      const ids = [...new Set(r.findings.map((f) => f.id))];
      const why = r.findings.map((f) => `${f.id}: ${f.explanation}`).join('\n');
      expect(ids.filter((id) => !must.includes(id) && !may.includes(id)), why).toEqual([]);
      for (const id of VISIBLE[scenario] ?? []) expect(ids, why).toContain(id);
      for (const f of r.findings) {
        expect(f.evidence.length, f.id).toBeGreaterThan(0);
        expect(f.evidence.every((e) => e.source === 'capture' && e.frames.length > 0), f.id).toBe(true);
        // Capture wording, not log wording ("0 CPings got …", "lines").
        expect(f.explanation, f.id).not.toMatch(/(^|[^\d.])0 [A-Za-z]|\blog lines?\b|\(\)/);
      }
      if (scenario === 'baseline') expect(r.findings).toEqual([]);
      if (scenario === 'client-abort') expect(ids.sort()).toEqual(['client-abort-download', 'client-abort-upload']);
    });
  }

  for (const scenario of scenarios.filter((s) => typeof EXPECTED[s] === 'object')) {
    it(`${scenario}: with the run's logs as well, still must ⊆ ids ⊆ must ∪ may`, async () => {
      const { must, may } = expected(scenario);
      const files = ['mod_jk-info.log', 'error_log', 'catalina.out'].filter((f) => existsSync(`${ROOT}samples/${scenario}/${f}`));
      const { events, summaries } = parse(sample(scenario, files));
      const r = diagnose({ events, summaries, capture: await captureEvidence(scenario) });
      const ids = [...new Set(r.findings.map((f) => f.id))];
      for (const id of must) expect(ids).toContain(id);
      expect(ids.filter((id) => !must.includes(id) && !may.includes(id)), r.findings.map((f) => `${f.id}: ${f.explanation}`).join('\n')).toEqual([]);
    });
  }
});

describe('a capture and the log of the same restart agree', () => {
  it("samples/backend-restart, its mod_jk.log (refusals, no recovery logged) with the capture (served again 9.2 s after): the restart first, explaining the refusals, and no 'no sign of recovery'", async () => {
    const { events, summaries } = parse(sample('backend-restart', ['mod_jk.log']));
    const r = diagnose({ events, summaries, capture: await captureEvidence('backend-restart') });
    expect(r.findings[0]?.id).toBe('backend-restart');
    const down = r.findings.find((f) => f.id === 'backend-down-or-wrong-port')!;
    expect(down.explanation).not.toMatch(/no sign of recovery/);
    expect(down.explanation).toMatch(/started again afterwards, see backend-restart/);
    expect(r.findings[0].explains).toContain('backend-down-or-wrong-port');
  });
});

/*
 * Counts cross-checked with tshark 4 (-d tcp.port==18009,ajp13, fields tcp.stream, tcp.srcport, tcp.flags.fin,
 * ajp13.code): streams where the web server's FIN follows a CPING (code 10) before any CPONG (code 9):
 * overload 20, proxy-ajp-faults 2, backend-restart 2; streams where it follows a FORWARD_REQUEST (2) before
 * SEND_HEADERS (4): reply-timeout 18; ajp13.len > 8188 from the web server: packet-size streams 5 and 7 (10217).
 */
describe('what the capture-only findings say', () => {
  it('reply-timeout: confirmed (the waits agree: about 1.0 s, the wire shows the timeout), with the waited time and frames', async () => {
    const r = diagnose({ events: [], capture: await captureEvidence('reply-timeout') });
    const f = r.findings.filter((x) => x.id === 'slow-backend-reply-timeout');
    // One per AJP client: 16 closes by mod_jk (4 slow requests × 4 attempts), 2 by mod_proxy_ajp (README).
    expect(f.map((x) => x.explanation.match(/shows (\d+) FORWARD_REQUESTs?/)?.[1])).toEqual(['16', '2']);
    for (const x of f) {
      // the wire shows the mechanism: the web server closing after a fixed wait, the reply coming later
      expect(x.confidence).toBe('confirmed');
      expect(x.explanation).toContain('1.0 s after the FORWARD_REQUEST');
      expect(x.severity).toBe('warning');
    }
    expect(f[0]!.explanation).toContain('mod_jk reply_timeout');
    expect(f[1]!.explanation).toContain('mod_proxy_ajp');
  });

  it('proxy-ajp-faults: a single 3 s close is only possible; the CPing failures are on new connections', async () => {
    const r = diagnose({ events: [], capture: await captureEvidence('proxy-ajp-faults') });
    const slow = r.findings.find((x) => x.id === 'slow-backend-reply-timeout')!;
    expect(slow.confidence).toBe('possible');
    expect(slow.explanation).toContain('3.0 s after the FORWARD_REQUEST');
    const threads = r.findings.find((x) => x.id === 'backend-thread-exhaustion')!;
    expect(threads.explanation).toMatch(/2 new connections .* no CPONG/);
    // tcp.stream 16 and 17 (README): CPING frames 155/161, FINs 160/167.
    expect(threads.evidence.flatMap((e) => (e.source === 'capture' ? e.frames : []))).toEqual([155, 160, 161, 167]);
  });

  it('overload: 20 unanswered CPINGs (14 mod_jk + 6 mod_proxy_ajp, README), all CPONGs late', async () => {
    const capture = await captureEvidence('overload');
    expect(capture.filter((c) => c.kind === 'cping-timeout')).toHaveLength(20);
    const f = diagnose({ events: [], capture }).findings.find((x) => x.id === 'backend-thread-exhaustion')!;
    expect(f.confidence).toBe('likely');
    expect(f.explanation).toContain('20 new connections');
    expect(f.explanation).toContain('20 CPONGs came later');
  });

  it('backend-restart: the CPINGs unanswered while Tomcat was starting do not count as thread exhaustion', async () => {
    const capture = await captureEvidence('backend-restart');
    const cpings = capture.filter((c) => c.kind === 'cping-timeout');
    expect(cpings).toHaveLength(2);
    expect(cpings.every((c) => c.fields?.duringRestart === true)).toBe(true);
    const f = diagnose({ events: [], capture }).findings.find((x) => x.id === 'backend-restart')!;
    // Tomcat's FIN on its pooled connections, refusals, then served again: the restart is on the wire
    expect(f.confidence).toBe('confirmed');
    expect(f.explanation).toMatch(/closing 5 pooled connections at once.*14 connection attempts .* refused/);
  });

  it('packet-size: both directions confirmed, sizes from the wire (10221 request, 65536 reply)', async () => {
    const capture = await captureEvidence('packet-size');
    // tshark: tcp.stream 5 and 7 carry the 10221-byte FORWARD_REQUESTs (worker big); 6 node1 / mod_proxy_ajp
    // connections get a 65536-byte SEND_BODY_CHUNK they refuse; stream 24 (worker big, 65536 on both sides) takes it.
    expect(capture.filter((c) => c.kind === 'oversized-request-rejected').map((c) => c.stream)).toEqual([5, 7]);
    expect(capture.filter((c) => c.kind === 'oversized-reply-rejected').map((c) => c.stream)).toEqual([18, 19, 21, 22, 27, 29]);
    const f = diagnose({ events: [], capture }).findings.filter((x) => x.id === 'packet-size-mismatch');
    expect(f).toHaveLength(2);
    for (const x of f) expect(x.confidence).toBe('confirmed');
    expect(f.map((x) => x.explanation).join(' ')).toMatch(/65536 bytes[\s\S]*10221 bytes|10221 bytes[\s\S]*65536 bytes/);
  });

  it('ghostcat-probe: the HTTP bytes sent to the AJP port are quoted', async () => {
    const f = diagnose({ events: [], capture: await captureEvidence('ghostcat-probe') }).findings.find((x) => x.id === 'http-client-on-ajp-port')!;
    expect(f.explanation).toContain('starting with "GET / HTTP/1.1"');
    expect(f.explanation).not.toMatch(/starting with :/);
  });
});
