import { describe, expect, it } from 'vitest';
import { PendingQueue } from '../../src/tcp/pending.js';
// The fuzz harness's seeded generator (mulberry32), so the test is reproducible.
import { rng } from '../fuzz/mutate.js';


describe('PendingQueue', () => {
  it('gives segments back by offset, equal offsets in arrival order, whatever the insert order', () => {
    const q = new PendingQueue();
    const r = rng(7);
    const pushed: { off: number; frame: number }[] = [];
    for (let frame = 1; frame <= 3000; frame++) {
      const off = Math.floor(r() * 500) * 10; // many equal offsets
      pushed.push({ off, frame });
      q.push(off, Buffer.alloc(frame % 5), 10, frame, frame);
    }
    expect(q.size).toBe(3000);
    expect(q.bytes).toBe(pushed.reduce((n, p) => n + (p.frame % 5), 0));
    const want = [...pushed].sort((a, b) => a.off - b.off || a.frame - b.frame);
    const got: { off: number; frame: number }[] = [];
    for (let p = q.pop(); p !== undefined; p = q.pop()) got.push({ off: p.off, frame: p.frame });
    expect(got).toEqual(want);
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.peek()).toBeUndefined();
  });

  it('keeps its order when pops and pushes interleave', () => {
    const q = new PendingQueue();
    q.push(30, Buffer.from('c'), 1, 3, 0);
    q.push(10, Buffer.from('a'), 1, 1, 0);
    expect(q.pop()?.frame).toBe(1);
    q.push(20, Buffer.from('b'), 1, 2, 0);
    q.push(20, Buffer.from('B'), 1, 4, 0);
    expect([q.pop()?.frame, q.pop()?.frame, q.pop()?.frame, q.pop()]).toEqual([2, 4, 3, undefined]);
  });
});
