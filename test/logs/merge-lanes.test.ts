/**
 * logs/read.ts mergeLanes: the merge of several logs as they are read, by a heap of lanes, gives the
 * order the scan over every lane gave (kept here as the reference, as it stood before the heap), on
 * random lanes: ties between files, stamp-less events at a file's start and in its middle, files
 * without a stamp, empty files and chunks, events read a chunk at a time.
 */
import { describe, expect, it } from 'vitest';
import { rng as random } from '../fuzz/mutate.js';
import { mergeLanes, type LaneRead } from '../../src/logs/read.js';
import { newEvent } from '../../src/logs/dialects/common.js';
import type { LogEvent } from '../../src/logs/types.js';

type Open = (i: number, push: (ev: LogEvent) => void) => LaneRead;

interface RefLane {
  read: LaneRead;
  queue: LogEvent[];
  keys: number[];
  head: number;
  lastTs: number;
  unkeyed: number;
  done: boolean;
}

/** mergeStreams' loop before the heap (logs/read.ts at 45a6a04), over the same sources. */
async function scanMerge(count: number, open: Open, onEvent: (ev: LogEvent) => void, maxWait: number): Promise<void> {
  const lanes: RefLane[] = [];
  for (let i = 0; i < count; i++) {
    const lane: RefLane = { read: undefined as unknown as LaneRead, queue: [], keys: [], head: 0, lastTs: Number.NaN, unkeyed: 0, done: false };
    lane.read = open(i, (ev) => {
      const ts = ev.ts;
      let key = Number.NaN;
      if (ts !== undefined) {
        key = ts;
        if (Number.isNaN(lane.lastTs) && lane.unkeyed > 0) settle(lane, ts);
        lane.lastTs = ts;
      } else if (!Number.isNaN(lane.lastTs)) key = lane.lastTs;
      else lane.unkeyed++;
      lane.queue.push(ev);
      lane.keys.push(key);
    });
    lanes.push(lane);
  }
  const settle = (lane: RefLane, key: number): void => {
    for (let i = lane.head; i < lane.keys.length; i++) if (Number.isNaN(lane.keys[i])) lane.keys[i] = key;
    lane.unkeyed = 0;
  };
  const fill = async (lane: RefLane): Promise<void> => {
    while (!lane.done && (lane.head >= lane.queue.length || (lane.unkeyed > 0 && lane.unkeyed < maxWait))) {
      if (!(await lane.read())) lane.done = true;
    }
    if (lane.unkeyed > 0) settle(lane, Number.NEGATIVE_INFINITY);
  };
  for (;;) {
    let best: RefLane | undefined;
    let bestKey = Number.POSITIVE_INFINITY;
    for (const lane of lanes) {
      if (lane.head >= lane.queue.length || lane.unkeyed > 0) await fill(lane);
      if (lane.head >= lane.queue.length) continue;
      const key = lane.keys[lane.head];
      if (best === undefined || key < bestKey) {
        best = lane;
        bestKey = key;
      }
    }
    if (best === undefined) break;
    const others = lanes.filter((l) => l !== best && l.head < l.queue.length);
    let bound = Number.POSITIVE_INFINITY;
    let boundFirst = false;
    for (const l of others) {
      const k = l.keys[l.head];
      const first = lanes.indexOf(l) < lanes.indexOf(best);
      if (k < bound || (k === bound && first)) {
        bound = k;
        boundFirst = first;
      }
    }
    const waiting = lanes.some((l) => l !== best && !l.done && l.head >= l.queue.length);
    do {
      const ev = best.queue[best.head];
      best.head++;
      onEvent(ev);
    } while (!waiting && best.head < best.queue.length && best.unkeyed === 0 && (best.keys[best.head] < bound || (best.keys[best.head] === bound && !boundFirst)));
    if (best.head > 4096 && best.head * 2 > best.queue.length) {
      best.queue.splice(0, best.head);
      best.keys.splice(0, best.head);
      best.head = 0;
    }
  }
}

/** Each lane: its chunks, each the stamps of the events it holds (undefined: a line without one). */
type Lanes = (number | undefined)[][][];

function randomLanes(rnd: () => number): Lanes {
  const int = (n: number) => Math.floor(rnd() * n);
  const lanes: Lanes = [];
  const count = 1 + int(14);
  // few distinct stamps: many ties between files and within one
  const span = 1 + int(12);
  for (let f = 0; f < count; f++) {
    const shape = int(6);
    const chunks: (number | undefined)[][] = [];
    let t = int(span);
    for (let c = int(8); c > 0; c--) {
      const chunk: (number | undefined)[] = [];
      for (let e = int(7); e > 0; e--) {
        if (shape === 0 || rnd() < 0.2) chunk.push(undefined); // no stamp at all, or a line without one
        else {
          // mostly in order, sometimes back in time (lines written out of order)
          t = rnd() < 0.15 ? int(span) : t + int(3);
          chunk.push(t);
        }
      }
      chunks.push(chunk);
    }
    lanes.push(chunks);
  }
  return lanes;
}

/** Sources reading `lanes` a chunk at a time; each event names its lane and place. */
function opener(lanes: Lanes): Open {
  return (i, push) => {
    let c = 0;
    let n = 0;
    return async () => {
      await Promise.resolve();
      if (c >= lanes[i].length) return false;
      for (const ts of lanes[i][c++]) {
        const ev = newEvent('fragment', `${i}:${n++}`, '');
        if (ts !== undefined) ev.ts = ts;
        push(ev);
      }
      return true;
    };
  };
}

async function order(merge: typeof scanMerge, lanes: Lanes, maxWait: number): Promise<string[]> {
  const out: string[] = [];
  await merge(lanes.length, opener(lanes), (ev) => out.push(ev.text), maxWait);
  return out;
}

describe('mergeLanes', () => {
  it('emits in the order the scan over every lane did (1,500 random sets of lanes)', async () => {
    const rnd = random(20_251_206);
    for (let trial = 0; trial < 1500; trial++) {
      const lanes = randomLanes(rnd);
      // (a small wait: leading stamp-less runs that go by −∞ before a stamp comes)
      const maxWait = trial % 3 === 0 ? 1 + Math.floor(rnd() * 4) : 100_000;
      const want = await order(scanMerge, lanes, maxWait);
      const got = await order(mergeLanes, lanes, maxWait);
      expect(got, `trial ${trial}: ${JSON.stringify(lanes)} wait ${maxWait}`).toEqual(want);
      expect(got).toHaveLength(lanes.flat(2).length);
    }
  });

  it('interleaved files cost O(log files) a pick: 20,000 events dealt into 2,000 files', async () => {
    const files = 2000;
    const lanes: Lanes = Array.from({ length: files }, (_, f) => [Array.from({ length: 10 }, (_, k) => k * files + f)]);
    const t0 = performance.now();
    const got = await order(mergeLanes, lanes, 100_000);
    const ms = performance.now() - t0;
    expect(got).toHaveLength(files * 10);
    expect(got.slice(0, 3)).toEqual(['0:0', '1:0', '2:0']);
    // (the scan above: a filter, indexOf and some over every lane per event emitted, 54 s)
    expect(ms).toBeLessThan(1000);
  });
});
