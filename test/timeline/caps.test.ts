/**
 * What the AJP analyzer keeps for the report is bounded (issue 14): the first connectionLimit
 * connections are listed, the cycles kept over all of them have one budget, the story events
 * another; what was left out is counted, and what the detectors see (the `events` sink) is
 * everything. Fed with a generated conversation repeated over more connections than the caps.
 */
import { describe, expect, it } from 'vitest';
import { AjpAnalyzer, type AjpEventSink } from '../../src/timeline/index.js';
import { CPING, CPONG, END_REUSE, forwardRequest, sendHeaders } from '../ajp/helpers.js';
import { feed, type Step } from './feed.js';

const CYCLES = 3;
const steps: Step[] = [{ ws: CPING }, { c: CPONG }];
for (let i = 0; i < CYCLES; i++) steps.push({ ws: forwardRequest({ uri: `/app/${i}` }) }, { c: [sendHeaders(200, 'OK'), END_REUSE] });

function run(n: number, opts: ConstructorParameters<typeof AjpAnalyzer>[0], closeEvery = 2) {
  let cycleEnds = 0;
  let connEnds = 0;
  const events: AjpEventSink = {
    violation() {},
    cycleEnd() {
      cycleEnds++;
    },
    connectionEnd() {
      connEnds++;
    },
  };
  const a = new AjpAnalyzer({ ajpPorts: [8009], ...opts, events });
  // Half the connections close (FIN), half stay open as a pool leaves them.
  for (let i = 0; i < n; i++) feed(i % closeEvery === 0 ? [...steps, { fin: 'ws' }] : steps, { stream: i, clientPort: 1024 + i }, a);
  return { r: a.result(), cycleEnds, connEnds };
}

describe('AjpAnalyzer caps: bounded lists, exact counts', () => {
  it('default caps: 1100 connections → the first 1000 listed, 100 counted as left out, every cycle seen by the detectors', () => {
    const { r, cycleEnds } = run(1100, {});
    expect(r.connections).toBe(1100);
    expect(r.requests).toBe(1100 * CYCLES);
    expect(r.connectionList).toHaveLength(1000);
    expect(r.connectionList.map((c) => c.stream)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(r.connectionsDropped).toBe(100);
    expect(r.containerPorts).toEqual([8009]);
    expect(cycleEnds).toBe(1100 * CYCLES);
    // Every listed connection's counts are exact, its lists within the cycle budget (5000 ≥ 3000 here).
    expect(r.connectionList.every((c) => c.requests === CYCLES && c.cycles.length + c.cyclesDropped === CYCLES)).toBe(true);
    expect(r.connectionList.reduce((s, c) => s + c.cycles.length, 0)).toBe(1000 * CYCLES);
  });

  it('the cycle budget holds over all connections, the rest counted per connection', () => {
    const { r } = run(40, { cycleBudget: 50 });
    const kept = r.connectionList.reduce((s, c) => s + c.cycles.length, 0);
    const dropped = r.connectionList.reduce((s, c) => s + c.cyclesDropped, 0);
    // Open connections show their current (unfinished) cycle too; all cycles here have ended.
    expect(kept).toBe(50);
    expect(kept + dropped).toBe(40 * CYCLES);
  });

  it('the story event budget holds over all connections', () => {
    const { r } = run(30, { story: true, storyEventBudget: 25 });
    const kept = r.connectionList.reduce((s, c) => s + c.events.length, 0);
    expect(kept).toBe(25);
    expect(r.connectionList.every((c) => c.events.length === 0 || c.stream < 5)).toBe(true);
    expect(r.connectionList.reduce((s, c) => s + c.eventsDropped, 0)).toBeGreaterThan(0);
  });

  it('a connection asked for by id (timeline --conn) is listed even past the connection cap', () => {
    const { r } = run(12, { connectionLimit: 5, story: new Set([9]) });
    expect(r.connectionList.map((c) => c.stream)).toEqual([0, 1, 2, 3, 4, 9]);
    expect(r.connectionsDropped).toBe(6);
    expect(r.connectionList.find((c) => c.stream === 9)!.events.length).toBeGreaterThan(0);
  });
});
