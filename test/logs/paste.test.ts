/**
 * Pasted text: the real lines of test/fixtures/logs/excerpts damaged the way pastes damage them
 * (test/fixtures/logs/pasted, see its README), and the guard against gluing unrelated lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseLogText, readLogs } from '../../src/logs/index.js';

const FX = join(import.meta.dirname, '../fixtures/logs');
const text = (rel: string) => readFileSync(join(FX, rel), 'utf8');
const parse = (t: string) => parseLogText(t, { path: 'paste', tz: 'UTC' });
const essentials = (t: string) => parse(t).events.map((e) => [e.dialect, e.ts, e.level, e.message, e.worker, { ...e.fields }]);

describe('pasted text', () => {
  it('E03 quoted with "> " and wrapped at 72 columns by the mail client: re-joined, fields from the tail', () => {
    const { events, summary } = parse(text('pasted/E03-quoted-wrapped72.txt'));
    expect(summary.unrecognised).toBe(0);
    expect(events).toHaveLength(2);
    expect(events[0].message).toBe('ajp_read_header: ajp_ilink_receive failed');
    expect(events[1].message).toBe('proxy: read response failed from (null) (localhost)');
    expect(events[1].fields).toMatchObject({ apr: 120006, host: 'localhost' });
    expect(events.map((e) => e.line)).toEqual([1, 3]);
    // the same as the unwrapped excerpt
    expect(essentials(text('pasted/E03-quoted-wrapped72.txt'))).toEqual(essentials(text('excerpts/E03-httpd-2.2.log')));
  });

  const wrap72 = (body: string) =>
    body
      .split('\n')
      .filter((l) => l !== '')
      .flatMap((l) => {
        const out: string[] = [];
        let rest = l;
        while (rest.length > 72) {
          const cut = rest.lastIndexOf(' ', 72);
          out.push(rest.slice(0, cut));
          rest = rest.slice(cut + 1);
        }
        return [...out, rest];
      })
      .join('\n');
  // (a cut at one of the two blanks of `failed,  recoverable` may leave one: compare blank-normalised)
  const norm = (rows: unknown[][]) => rows.map((e) => e.map((v) => (typeof v === 'string' ? v.replace(/  +/g, ' ') : v)));

  for (const f of ['E08-modjk-1.2.23.log', 'E12-modjk-1.2.19-windows.log', 'E14-httpd-2.4.log', 'E18-modjk-1.2.28.log']) {
    it(`${f} wrapped at 72 columns (cuts inside heads included) reads like the original`, () => {
      const wrapped = wrap72(text(`excerpts/${f}`));
      expect(wrapped.split('\n').length).toBeGreaterThan(text(`excerpts/${f}`).split('\n').length);
      expect(parse(wrapped).summary.unrecognised).toBe(0);
      expect(norm(essentials(wrapped))).toEqual(norm(essentials(text(`excerpts/${f}`))));
    });
  }

  it('E08 with "N: " line numbers and CRLF reads like the original', () => {
    const damaged = parse(text('pasted/E08-numbered-crlf.txt'));
    expect(damaged.summary.unrecognised).toBe(0);
    expect(damaged.events).toHaveLength(12);
    expect(damaged.events[0].text.startsWith('[Fri Jan 11 14:14:12 2008]')).toBe(true);
    expect(damaged.events.some((e) => e.text.includes('\r'))).toBe(false);
    expect(essentials(text('pasted/E08-numbered-crlf.txt'))).toEqual(essentials(text('excerpts/E08-modjk-1.2.23.log')));
  });

  it('other line-number styles: "123 ", tab (cat -n), grep -n "file:123:", list markers (pastebin list view)', () => {
    const line = '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)';
    for (const prefix of ['123 ', '     7\t', 'mod_jk.log:42:', '42:', '- ', '* ', '\u2022 ']) {
      const { events, summary } = parse(prefix + line);
      expect(summary.unrecognised, prefix).toBe(0);
      expect(events[0].fields, prefix).toEqual({ backend: '127.0.0.1:8009', errno: 111 });
    }
  });

  it('E14 with ANSI colour codes reads like the original', () => {
    expect(text('pasted/E14-ansi.txt')).toContain('\x1b[31m');
    const { summary } = parse(text('pasted/E14-ansi.txt'));
    expect(summary.unrecognised).toBe(0);
    expect(essentials(text('pasted/E14-ansi.txt'))).toEqual(essentials(text('excerpts/E14-httpd-2.4.log')));
  });

  it('nested quotes (">> ", "> > ") among mail prose', () => {
    const { events, summary } = parse(text('pasted/E08-nested-quotes.txt'));
    expect(events.map((e) => e.source?.line)).toEqual([451, 876]);
    expect(summary.unrecognised).toBe(2); // "On Tue, someone wrote:" and "Any idea?"
    expect(summary.unrecognisedSamples.map((s) => s.line)).toEqual([1, 5]);
  });

  it('does not glue a following line to a log line that was not cut', () => {
    // E08 lines are wider than any wrap width: the paste was not wrapped, nothing is joined.
    const e08 = text('excerpts/E08-modjk-1.2.23.log').split('\n')[2];
    let r = parse(`${e08}\nthen I restarted tomcat`);
    expect(r.events[0].message).toBe('connect to 127.0.0.1:8009 failed (errno=111)');
    expect(r.summary.unrecognised).toBe(1);
    // A short line of wrap width followed by a capitalised sentence after a full stop: prose.
    const short = "[Tue Sep 01 23:25:41.961 2015] [1:2] [error] x::jk_uri_worker_map.c (564): Could not find worker.";
    r = parse(`${short}\nThe workers file was not read.`);
    expect(r.events[0].message).toBe('Could not find worker.');
    expect(r.summary.unrecognised).toBe(1);
    // Lines too short to have been wrapped, or whose next word would have fitted: not cut.
    r = parse('[error] ajp_read_header: ajp_ilink_receive failed\nthen I restarted tomcat');
    expect(r.summary.unrecognised).toBe(1);
    r = parse(`${'y'.repeat(78)}\n[Sun Mar 29 04:05:33 2009] [error] ajp_read_header: ajp_ilink_receive failed\nx`);
    expect(r.events[0].message).toBe('ajp_read_header: ajp_ilink_receive failed'); // 'x' would have fitted in 78
    expect(r.summary.unrecognised).toBe(2);
    // A blank line ends the paragraph.
    const cut = '> [Sun Mar 29 04:05:33 2009] [error] (120006)APR does not understand this';
    r = parse(`${cut}\n>\n> error code: proxy: read response failed from (null) (localhost)`);
    expect(r.events[0].message).toBe('(120006)APR does not understand this'); // cut before `: `, so not a status
    expect(r.events).toHaveLength(1);
    expect(r.summary.unrecognised).toBe(1);
    // A bullet is prose.
    r = parse(`${cut}\n- error code: something`);
    expect(r.summary.unrecognised).toBe(1);
    // JkRequestLog lines have a free format: never extended.
    r = parse('[Thu Mar 09 16:41:25.123 2023] worker1 www.example.com 0.012345 /app/some/long/path/here\nrandom words');
    expect(r.events[0].message).toBe('worker1 www.example.com 0.012345 /app/some/long/path/here');
  });

  it('unrecognised lines are counted and sampled (at most 5), never an error', () => {
    const junk = Array.from({ length: 9 }, (_, i) => `junk line ${i}`).join('\n');
    const { events, summary } = parse(`${junk}\n${text('excerpts/E09-modjk-1.2.25.log')}`);
    expect(events).toHaveLength(2);
    expect(summary.unrecognised).toBe(9);
    expect(summary.unrecognisedSamples).toEqual([1, 2, 3, 4, 5].map((n) => ({ line: n, text: `junk line ${n - 1}` })));
    expect(summary.lines).toBe(11); // 9 + 2; the final newline ends the last line
    expect(summary.byDialect).toEqual({ modjk: 2 });
  });

  it('SimpleFormatter pair in a Japanese and a German locale (localised level and AM/PM; constructed)', () => {
    const t = [
      'Nov 21, 2012 10:00:00 午後 org.apache.coyote.AbstractProtocol pause',
      '情報: Pausing ProtocolHandler ["ajp-nio-8009"]',
      'Nov. 21, 2012 9:00:00 VORM. org.apache.coyote.ajp.AjpProcessor process',
      'SCHWERWIEGEND: Error reading request, ignored',
    ].join('\n');
    const { events, summary } = parse(t);
    expect(summary.unrecognised).toBe(0);
    expect(events.map((e) => [new Date(e.ts as number).toISOString(), e.level])).toEqual([
      ['2012-11-21T22:00:00.000Z', 'info'],
      ['2012-11-21T09:00:00.000Z', 'error'],
    ]);
  });

  it('Tomcat SimpleFormatter pair and a stack trace are one event each', () => {
    const t = [
      'Nov 21, 2012 10:00:00 PM org.apache.coyote.ajp.AjpProcessor process',
      'SEVERE: Error reading request, ignored',
      'java.net.SocketTimeoutException: Read timed out',
      '\tat java.net.SocketInputStream.socketRead0(Native Method)',
      '\tat org.apache.coyote.ajp.AjpProcessor.read(AjpProcessor.java:309)',
      'Nov 21, 2012 10:00:01 PM org.apache.coyote.AbstractProtocol pause',
      'INFO: Pausing ProtocolHandler ["ajp-bio-8009"]',
    ].join('\n');
    const { events, summary } = parse(t);
    expect(summary.unrecognised).toBe(0);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ level: 'error', module: 'org.apache.coyote.ajp.AjpProcessor', fields: { exception: 'java.net.SocketTimeoutException' } });
    expect(events[0].message.split('\n')[0]).toBe('Error reading request, ignored');
    expect(events[1]).toMatchObject({ level: 'info', fields: { handler: 'ajp-bio-8009', port: 8009 }, line: 6 });
  });
});

describe('readLogs', () => {
  it('reads gzip (by magic) and UTF-16LE with BOM like the plain file', async () => {
    const plain = await readLogs([join(FX, 'excerpts/E11-modjk-1.2.26.log')], { tz: 'UTC' });
    const gz = await readLogs([join(FX, 'pasted/E11.log.gz')], { tz: 'UTC' });
    const u16 = await readLogs([join(FX, 'pasted/E11-utf16le.log')], { tz: 'UTC' });
    const msgs = (r: typeof plain) => r.events.map((e) => [e.ts, e.message]);
    expect(plain.events).toHaveLength(3);
    expect(msgs(gz)).toEqual(msgs(plain));
    expect(msgs(u16)).toEqual(msgs(plain));
    expect(u16.summaries[0].unrecognised).toBe(0);
  });

  it('reads stdin for "-" and merges sources by time, each keeping its own order', async () => {
    const httpd = text('excerpts/E25-httpd-2.2+modjk.log');
    const stdin = Readable.from([Buffer.from(text('excerpts/E09-modjk-1.2.25.log'))]);
    const r = await readLogs([join(FX, 'excerpts/E08-modjk-1.2.23.log'), '-'], { tz: 'UTC', stdin });
    expect(r.summaries.map((s) => s.path)).toEqual([join(FX, 'excerpts/E08-modjk-1.2.23.log'), '-']);
    // E08 is January 2008, E09 May 2008: all of E08 first
    expect(r.events.map((e) => e.path.endsWith('.log') ? 'E08' : 'E09')).toEqual([...Array(12).fill('E08'), 'E09', 'E09']);
    const ts = r.events.map((e) => e.ts as number);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(httpd.length).toBeGreaterThan(0);
  });

  it('interleaves two files by time; stamp-less lines stay with their neighbours', async () => {
    const a = Readable.from(['[Tue Feb 26 12:46:47 2013] [error] ap_proxy_connect_backend disabling worker for (localhost)\n']);
    const { mergeByTime, parseLogText: p } = await import('../../src/logs/index.js');
    const x = p('[Tue Feb 26 12:00:00 2013] [error] first\n[error] no stamp\n[Tue Feb 26 13:00:00 2013] [error] third\n', { path: 'x', tz: 'UTC' }).events;
    const y = p('[Tue Feb 26 12:30:00 2013] [error] middle\n', { path: 'y', tz: 'UTC' }).events;
    expect(mergeByTime([x, y]).map((e) => e.message)).toEqual(['first', 'no stamp', 'middle', 'third']);
    const r = await readLogs(['-'], { tz: 'UTC', stdin: a });
    expect(r.events[0].fields).toMatchObject({ host: 'localhost' });
  });

  it('line numbers survive chunk boundaries, blank lines and multi-byte characters split across chunks', async () => {
    const body = `${text('excerpts/E09-modjk-1.2.25.log')}\n\nKommentar: Über den Worker “tomcat1”\n${text('excerpts/E19-modjk-1.2.37.log')}`;
    const bytes = Buffer.from(body);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const r = await readLogs(['-'], { tz: 'UTC', stdin: Readable.from(chunks) });
    const p = parseLogText(body, { path: '-', tz: 'UTC' });
    expect(r.events.map((e) => [e.line, e.text])).toEqual(p.events.map((e) => [e.line, e.text]));
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 6, 7]);
    expect(r.summaries[0].unrecognisedSamples).toEqual([{ line: 5, text: 'Kommentar: Über den Worker “tomcat1”' }]);
    expect(r.summaries[0].lines).toBe(p.summary.lines);
  });

  it('a binary input without newlines is read in bounded steps and reported unrecognised', async () => {
    const blob = Buffer.alloc(5 << 20, 0xab);
    const chunks: Buffer[] = [];
    for (let i = 0; i < blob.length; i += 1 << 16) chunks.push(blob.subarray(i, i + (1 << 16)));
    const r = await readLogs(['-'], { tz: 'UTC', stdin: Readable.from(chunks) });
    expect(r.events).toHaveLength(0);
    // One line (it has no newline): read up to its first MiB, the rest of it skipped, not counted
    // as more lines (issue 15: line numbers after a long line are those of the file).
    expect(r.summaries[0].unrecognised).toBe(1);
    expect(r.summaries[0].lines).toBe(1);
    expect(r.summaries[0].unrecognisedSamples[0].text.length).toBeLessThanOrEqual(201);
  });

  it('rejects on a missing file (I/O error), not on bad lines', async () => {
    await expect(readLogs([join(FX, 'does-not-exist.log')])).rejects.toThrow(/ENOENT/);
  });
});
