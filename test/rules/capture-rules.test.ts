/**
 * The capture paths of the rules on hand-made detect/ evidence: the cases the sample captures do not
 * cover (inconsistent waits, a CPing failure from mod_jk, CPings during a restart, a lone failure).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/rules/index.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';

let frame = 100;
function cap(kind: string, ts: number, fields: CaptureEvidence['fields'], stream = frame): CaptureEvidence {
  frame += 2;
  return { source: 'capture', kind, stream, frames: [frame - 1, frame], ts, detail: kind, fields: { webServer: '10.0.0.1:40000', container: '10.0.0.2:8009', ...fields } };
}
const ids = (capture: CaptureEvidence[]) => diagnose({ events: [], capture }).findings.map((f) => `${f.id}:${f.confidence}`);

describe('slow-backend-reply-timeout from the capture', () => {
  const rt = (ts: number, waited: number) => cap('reply-timeout', ts, { method: 'GET', uri: '/report', waitedSeconds: waited, lateStatus: null, client: 'mod_jk' });
  it('waits that agree: confirmed (the wire shows the timeout), naming it; waits all over the place: possible', () => {
    expect(ids([rt(1000, 10.0), rt(1100, 10.02), rt(1200, 9.99)])).toEqual(['slow-backend-reply-timeout:confirmed']);
    const f = diagnose({ events: [], capture: [rt(1000, 10.0), rt(1100, 10.02)] }).findings[0]!;
    expect(f.explanation).toContain('about 10.0 s in mod_jk reply_timeout');
    expect(ids([rt(1000, 2), rt(1100, 35)])).toEqual(['slow-backend-reply-timeout:possible']);
    expect(ids([rt(1000, 60)])).toEqual(['slow-backend-reply-timeout:possible']);
  });
});

describe('CPing failures from the capture', () => {
  const cp = (ts: number, fields: CaptureEvidence['fields']) => cap('cping-timeout', ts, { fresh: true, waitedSeconds: 1, lateCpong: true, client: null, duringRestart: false, ...fields });
  it('a burst on new connections: thread exhaustion (likely); a lone one: possible', () => {
    expect(ids([cp(1000, {}), cp(1000.5, {}), cp(1001, {})])).toEqual(['backend-thread-exhaustion:likely']);
    expect(ids([cp(1000, {})])).toEqual(['backend-thread-exhaustion:possible']);
  });
  it('while Tomcat was starting (restart window) or on a pooled connection: not thread exhaustion', () => {
    expect(ids([cp(1000, { duringRestart: true }), cp(1000.5, { duringRestart: true })])).toEqual([]);
    expect(ids([cp(1000, { fresh: false }), cp(1000.5, { fresh: false })])).toEqual([]);
  });
  it('mod-proxy-ajp-cping-failure only when the requests around say mod_proxy_ajp', () => {
    expect(ids([cp(1000, { client: 'mod_proxy_ajp' }), cp(1001, { client: 'mod_proxy_ajp' })]).sort()).toEqual(['backend-thread-exhaustion:likely', 'mod-proxy-ajp-cping-failure:likely']);
    expect(ids([cp(1000, { client: 'mod_jk' }), cp(1001, { client: 'mod_jk' })])).toEqual(['backend-thread-exhaustion:likely']);
  });
});

describe('backend-restart from the capture', () => {
  const back = (fields: CaptureEvidence['fields']) => cap('refused-then-served', 1000, { refused: 3, firstRefusedFrame: 10, lastRefusedFrame: 20, servedFrame: 30, outageSeconds: 12.5, pooledClosedBefore: 0, cpingsUnansweredWhileStarting: 0, ...fields });
  it('confirmed with Tomcat closing its pooled connections first (the restart on the wire), possible without', () => {
    expect(ids([back({ pooledClosedBefore: 4 })])).toEqual(['backend-restart:confirmed']);
    expect(ids([back({})])).toEqual(['backend-restart:possible']);
  });
});

describe('packet-size-mismatch from the capture', () => {
  it('each direction its own confirmed finding; no request-exceeds-packet-size from the capture', () => {
    const req = cap('oversized-request-rejected', 1000, { size: 12000, packetSize: 8192, side: 'web-server', status: 400 });
    const rep = cap('oversized-reply-rejected', 1001, { size: 16384, packetSize: 8192, side: 'container' });
    const r = diagnose({ events: [], capture: [req, rep] });
    expect(r.findings.map((f) => `${f.id}:${f.confidence}`)).toEqual(['packet-size-mismatch:confirmed', 'packet-size-mismatch:confirmed']);
    expect(r.findings.map((f) => f.explanation).join(' ')).toMatch(/12000 bytes[\s\S]*answering 400|answering 400[\s\S]*12000 bytes/);
    expect(r.notEvaluated.map((n) => n.id)).toContain('request-exceeds-packet-size');
  });
});
