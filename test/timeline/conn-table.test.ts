/**
 * The open AJP connections' columns (src/timeline/conn-table.ts): a slot handed back and handed out
 * again starts clean (a pooled capture reuses slots all the time: state left over from the previous
 * connection would show up in the next one's facts), and the facts read back as the report always
 * had them (SYN frames capped, who sent the first FIN / RST).
 */
import { describe, expect, it } from 'vitest';
import { ConnTable, F_SYN_ACK } from '../../src/timeline/conn-table.js';
import type { StreamInfo } from '../../src/tcp/index.js';

function info(id: number, clientPort: number): StreamInfo {
  return { id, client: { addr: '10.0.0.1', port: clientPort }, server: { addr: '10.0.0.2', port: 8009 }, roleFrom: 'handshake', firstFrame: id * 10 + 1, startTs: 1000 + id };
}

describe('ConnTable', () => {
  it('reads back a row as the facts and endpoints of its connection', () => {
    const t = new ConnTable(2);
    const s = t.alloc(info(1, 40000));
    for (let f = 1; f <= 20; f++) t.addSyn(s, f, 16);
    t.facts[s] = t.facts[s]! | F_SYN_ACK;
    t.setFinBy(s, 'container');
    t.setRstBy(s, 'web-server');
    t.setFinBy(s, 'web-server');
    const facts = t.factsOf(s);
    expect(facts.syn).toBe(true);
    expect(facts.synAck).toBe(true);
    expect(facts.synFrames).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(facts.finBy).toBe('web-server');
    expect(facts.rstBy).toBe('web-server');
    expect(t.endpoint(s, false)).toEqual({ addr: '10.0.0.1', port: 40000 });
    expect(t.endpoint(s, true)).toEqual({ addr: '10.0.0.2', port: 8009 });
    expect(t.endpointText(s, true)).toBe('10.0.0.2:8009');
    expect(t.webServerAddr(s, false)).toBe('10.0.0.1');
    expect([t.startTs[s], t.lastTs[s], t.firstFrame[s], t.lastFrame[s]]).toEqual([1001, 1001, 11, 11]);
  });

  it('gives its columns back once every connection has ended, and works on after that', () => {
    const t = new ConnTable();
    const rows = Array.from({ length: 5000 }, (_, i) => t.alloc(info(i, 20000 + i)));
    expect(t.startTs.length).toBeGreaterThanOrEqual(5000);
    for (const s of rows.slice(0, 4999)) t.release(s);
    expect(t.startTs.length).toBeGreaterThanOrEqual(5000); // one still open: nothing given back
    t.release(rows[4999]!);
    expect(t.startTs.length).toBe(256);
    expect(t.facts.length).toBe(256);
    const s = t.alloc(info(9, 41000));
    expect(t.endpoint(s, false)).toEqual({ addr: '10.0.0.1', port: 41000 });
    expect(t.factsOf(s).synFrames).toEqual([]);
  });

  it('hands a released slot out again clean, and grows past its first size', () => {
    const t = new ConnTable(2);
    const a = t.alloc(info(1, 40000));
    t.addSyn(a, 5, 16);
    t.addSyn(a, 6, 16);
    t.setRstBy(a, 'container');
    t.requests[a] = 7;
    t.bytesWebServer[a] = 123;
    t.lastActivity[a] = 1001.5;
    t.closedIdleBy[a] = { side: 'container', how: 'rst', frame: 9, ts: 1002, idle: 0.5 };
    t.unansweredAfterIdle[a] = { frames: [8], ts: 1002, idle: 2, type: 'CPING', retransmissions: 1 };
    t.release(a);
    const b = t.alloc(info(2, 40001));
    expect(b).toBe(a);
    expect(t.factsOf(b)).toEqual({ syn: false, synAck: false, synFrames: [], finBy: null, rstBy: null, closedIdleBy: null, unansweredAfterIdle: null });
    expect([t.requests[b], t.bytesWebServer[b], t.nextC2s[b], t.nextS2c[b]]).toEqual([0, 0, -1, -1]);
    expect(Number.isNaN(t.lastActivity[b]!)).toBe(true);
    expect(t.endpoint(b, false)).toEqual({ addr: '10.0.0.1', port: 40001 });
    t.addSyn(b, 50, 16);
    expect(t.factsOf(b).synFrames).toEqual([50]);
    // Past the initial capacity of 2: earlier rows keep their values.
    const more = [3, 4, 5, 6, 7].map((id) => t.alloc(info(id, 40000 + id)));
    expect(new Set([b, ...more]).size).toBe(6);
    expect(t.endpoint(b, false).port).toBe(40001);
    expect(t.firstFrame[more[4]!]).toBe(71);
  });
});
