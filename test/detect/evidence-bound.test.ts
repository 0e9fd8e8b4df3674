/**
 * The capture detectors keep each kind's first evidence items within a bound (detect/index.ts
 * MAX_EVIDENCE_PER_KIND), count the rest, and say so: memory must not grow with the number of broken
 * connections of a long capture. Scripted connections (test/timeline/feed.ts) through the analyzer
 * into a detector with small bounds.
 */
import { describe, expect, it } from 'vitest';
import { unreadNotices } from '../../src/analyze/verticals/unread.js';
import { AjpDetector, MAX_EVIDENCE_PER_KIND } from '../../src/detect/index.js';
import { AjpAnalyzer } from '../../src/timeline/index.js';
import { forwardRequest } from '../ajp/helpers.js';
import { feed, type Step } from '../timeline/feed.js';

const httpOnAjpPort: Step[] = [{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n') }, { fin: 'c' }];
const replyTimeout: Step[] = [{ tcp: 'syn', from: 'ws' }, { tcp: 'syn-ack', from: 'c' }, { ws: forwardRequest({ uri: '/slow' }) }, { fin: 'ws', dt: 3 }];

function run(perKind: number, shapes: Step[][]) {
  const detector = new AjpDetector(perKind);
  const analyzer = new AjpAnalyzer({ events: detector });
  shapes.forEach((steps, i) => feed(steps, { stream: i, clientPort: 40000 + i }, analyzer));
  const evidence = detector.evidence();
  const count = (k: string) => evidence.filter((e) => e.kind === k).length;
  return { count, unread: detector.unread() };
}

describe('capture evidence within its bound', () => {
  it("keeps each kind's first items and counts the rest, whatever the other kinds hold", () => {
    const shapes = [...Array<Step[]>(12).fill(httpOnAjpPort), ...Array<Step[]>(5).fill(replyTimeout), ...Array<Step[]>(4).fill(httpOnAjpPort)];
    const r = run(6, shapes);
    expect(r.count('non-ajp-client')).toBe(6);
    // (a reply timeout is worded when its connection ends, from its kept item)
    expect(r.count('reply-timeout')).toBe(5);
    expect(r.unread).toEqual([{ kind: 'non-ajp-client', items: 10, kept: 6 }]);
    // the first ones are kept: streams 0-5
    const d = new AjpDetector(6);
    const analyzer = new AjpAnalyzer({ events: d });
    shapes.forEach((steps, i) => feed(steps, { stream: i, clientPort: 40000 + i }, analyzer));
    expect(d.evidence().filter((e) => e.kind === 'non-ajp-client').map((e) => e.stream)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('under the bounds nothing is left out', () => {
    const shapes = [...Array<Step[]>(5).fill(httpOnAjpPort), ...Array<Step[]>(5).fill(replyTimeout)];
    const r = run(MAX_EVIDENCE_PER_KIND, shapes);
    expect(r.count('non-ajp-client')).toBe(5);
    expect(r.count('reply-timeout')).toBe(5);
    expect(r.unread).toEqual([]);
  });

  it('what was left out is said in one line per kind', () => {
    expect(unreadNotices([{ kind: 'reply-timeout', items: 9, kept: 3 }])).toEqual([
      { kind: 'evidence-unread', text: '9 more capture items of kind reply-timeout not read by the rules (the first 3 were): their counts stop there' },
    ]);
  });
});
