/**
 * The memory-saving representation of kept jk events (stamp as a small integer, message as an
 * offset into text, shared thread-id and worker strings) and the ASCII fast decode must not change
 * what an event reads as.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineContext, parseLine, parseLogText, readLogs } from '../../src/logs/index.js';

const ctx = lineContext({ tz: 'UTC' });
const jk = (stamp: string, tid = '140536740562624') =>
  `[${stamp}] [20001:${tid}] [info] ajp_service::jk_ajp_common.c (2774): (node1) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)`;

describe('kept jk events', () => {
  it('stamps far apart, near 1970 and with microseconds read back exactly', () => {
    const lines = [
      jk('Sat Nov 21 08:00:00.037 2026'),
      jk('Fri Jan 11 14:14:28 2008'),
      jk('Fri Jan 02 00:00:00 1970'),
      jk('Thu Jan 01 00:00:00 1970'),
      jk('Tue Dec 17 18:06:19.375949 2019'),
      jk('Sat Nov 21 08:00:05.001 2026'),
    ];
    const ts = parseLogText(lines.join('\n'), { path: 't', tz: 'UTC' }).events.map((e) => e.ts);
    expect(ts.slice(0, 4)).toEqual([Date.UTC(2026, 10, 21, 8, 0, 0, 37), Date.UTC(2008, 0, 11, 14, 14, 28), 86_400_000, 0]);
    expect(ts[4]).toBeCloseTo(Date.UTC(2019, 11, 17, 18, 6, 19) + 375.949, 6);
    expect(ts[5]).toBe(Date.UTC(2026, 10, 21, 8, 0, 5, 1));
  });

  it('ts can be set and cleared like a plain property', () => {
    const ev = parseLine(jk('Sat Nov 21 08:00:00.037 2026'), ctx)!;
    ev.ts = 1_000_000_000_000.5;
    expect(ev.ts).toBe(1_000_000_000_000.5);
    ev.ts = Number.NaN;
    expect(ev.ts).toBeNaN();
    ev.ts = undefined;
    expect(ev.ts).toBeUndefined();
    expect(JSON.parse(JSON.stringify(ev))).not.toHaveProperty('ts');
  });

  it('message is the trimmed tail of text, also after text is replaced', () => {
    const line = `${jk('Sat Nov 21 08:00:00.037 2026')}   `;
    const ev = parseLine(line, ctx)!;
    const msg = '(node1) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)';
    expect(ev.message).toBe(msg);
    ev.text = 'something else entirely';
    expect(ev.message).toBe(msg);
    expect(ev.source).toEqual({ file: 'jk_ajp_common.c', line: 2774, fn: 'ajp_service' });
    expect(JSON.parse(JSON.stringify(ev))).toMatchObject({ text: 'something else entirely', message: msg, worker: 'node1' });
  });

  it('a head with nothing after it still joins its wrapped rest', () => {
    const { events } = parseLogText(
      '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]\njk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)',
      { path: 't', tz: 'UTC' },
    );
    expect(events).toHaveLength(1);
    expect(events[0].fields).toMatchObject({ backend: '127.0.0.1:8009', errno: 111 });
  });

  it('thread ids that differ only in leading zeros stay distinct', () => {
    const a = parseLine(jk('Sat Nov 21 08:00:00.037 2026', '123'), ctx)!;
    const b = parseLine(jk('Sat Nov 21 08:00:00.037 2026', '0123'), ctx)!;
    const c = parseLine(jk('Sat Nov 21 08:00:00.037 2026', '123'), ctx)!;
    expect([a.tid, b.tid, c.tid]).toEqual(['123', '0123', '123']);
  });
});

describe('reading files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ajpi-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a chunk with UTF-8 is decoded as UTF-8, a pure ASCII one gives the same lines', async () => {
    const ascii = jk('Sat Nov 21 08:00:00.037 2026');
    const utf8 = `[Sat Nov 21 08:00:01.000 2026] [20001:7] [error] ajp_send_request::jk_ajp_common.c (1724): (wörker-é) connecting to backend failed (errno=111)`;
    const file = join(dir, 'mixed.log');
    writeFileSync(file, `${ascii}\n${utf8}\n`, 'utf8');
    const { events } = await readLogs([file], { tz: 'UTC' });
    expect(events.map((e) => e.text)).toEqual([ascii, utf8]);
    expect(events[1].worker).toBe('wörker-é');
    const only = join(dir, 'ascii.log');
    writeFileSync(only, `${ascii}\n`, 'latin1');
    const [ev] = (await readLogs([only], { tz: 'UTC' })).events;
    expect({ text: ev.text, message: ev.message, ts: ev.ts, worker: ev.worker, tid: ev.tid }).toEqual({
      text: ascii,
      message: '(node1) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)',
      ts: Date.UTC(2026, 10, 21, 8, 0, 0, 37),
      worker: 'node1',
      tid: '140536740562624',
    });
    // the event points into the read chunk: replacing its text keeps message and source
    ev.text = 'replaced';
    expect([ev.text, ev.message, ev.source?.line]).toEqual([
      'replaced',
      '(node1) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)',
      2774,
    ]);
  });
});
