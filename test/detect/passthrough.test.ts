/** Violations the rules read as they are (cping-desync-leftover-packets, backend-sends-after-end-response). */
import { describe, expect, it } from 'vitest';
import { detectCaptureEvidence } from '../../src/detect/index.js';
import { diagnose } from '../../src/rules/index.js';
import { CPING, CPONG, END_REUSE, forwardRequest, sendBodyChunk, sendHeaders } from '../ajp/helpers.js';
import { feed, type Step } from '../timeline/feed.js';

const GET = forwardRequest({ uri: '/x' });
const ok = [sendHeaders(200, 'OK'), sendBodyChunk('ok'), END_REUSE];

function run(steps: Step[]) {
  const capture = detectCaptureEvidence(feed(steps));
  return { kinds: capture.map((c) => c.kind), ids: diagnose({ events: [], capture }).findings.map((f) => f.id) };
}

describe('violations passed on to the rules', () => {
  it('a CPING answered by a leftover SEND_BODY_CHUNK: cpong-expected → cping-desync-leftover-packets', () => {
    const r = run([{ ws: GET }, { c: ok }, { ws: CPING, dt: 5 }, { c: sendBodyChunk('stale') }]);
    expect(r.kinds).toContain('cpong-expected');
    expect(r.ids).toContain('cping-desync-leftover-packets');
  });
  it('a packet after END_RESPONSE: data-after-end-response → backend-sends-after-end-response', () => {
    const r = run([{ ws: GET }, { c: [...ok, sendBodyChunk('late')] }]);
    expect(r.kinds).toContain('data-after-end-response');
    expect(r.ids).toContain('backend-sends-after-end-response');
  });
  it('a clean CPING/CPONG and request: neither', () => {
    expect(run([{ ws: CPING }, { c: CPONG }, { ws: GET }, { c: ok }])).toEqual({ kinds: [], ids: [] });
  });
});
