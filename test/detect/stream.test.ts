/**
 * AjpDetector, the streaming detectors (issue 10): fed live by the analyzer, they judge the request
 * cycle a violation belongs to even when the connection keeps none of its cycles for display. Before,
 * the detectors read the analyzer's capped lists after the fact: on a pooled connection with more
 * cycles than it keeps, the wait of a reply timeout was unknown and its request frame missing.
 */
import { describe, expect, it } from 'vitest';
import { AjpDetector, detectCaptureEvidence } from '../../src/detect/index.js';
import { END_REUSE, forwardRequest, sendBodyChunk, sendHeaders } from '../ajp/helpers.js';
import { feed, type Step } from '../timeline/feed.js';

const GET = forwardRequest({ uri: '/fast' });
const SLOW = forwardRequest({ uri: '/slow' });
const ok = [sendHeaders(200, 'OK'), sendBodyChunk('ok'), END_REUSE];

/** 300 quick requests on one pooled connection, then one the web server gives up on after 1.5 s. */
const steps: Step[] = [{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }];
for (let i = 0; i < 300; i++) steps.push({ ws: GET }, { c: ok });
steps.push({ ws: SLOW }, { fin: 'ws', dt: 1.5 });

describe('AjpDetector', () => {
  it('measures the reply timeout of request 301 on a connection that keeps no cycles for display', () => {
    const detector = new AjpDetector();
    const result = feed(steps, { story: false, cycleLimit: 0, releasedCycleLimit: 0, events: detector });
    expect(result.connectionList[0]!.cycles).toEqual([]);
    const t = detector.evidence().filter((e) => e.kind === 'reply-timeout');
    expect(t).toHaveLength(1);
    expect(t[0]!.fields).toMatchObject({ waitedSeconds: 1.5, method: 'GET', uri: '/slow', cycle: 301 });
    // The request's own frame and the FIN right after it (the last two frames of the conversation).
    const last = result.connectionList[0]!.lastFrame;
    expect(t[0]!.frames).toEqual([last - 1, last]);
    // The same conversation judged from the capped lists afterwards (the old way) loses the request.
    const late = detectCaptureEvidence(feed(steps, { story: false, cycleLimit: 0, releasedCycleLimit: 0 })).find((e) => e.kind === 'reply-timeout');
    expect(late!.fields?.waitedSeconds).toBeNull();
  });
});
