/**
 * Line ends and encodings of damaged or unusual logs (issue 15): CR-only line ends read as lines,
 * UTF-16LE without a BOM and UTF-16BE with or without one read as text, and the line numbers after a line over 1 MiB the same from a
 * file and from stdin (the rest of the cut line is not counted as more lines).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { feedStream, LogLineReader, lineContext } from '../../src/logs/index.js';

const L1 = '[Sat Nov 21 10:52:24.905 2026] [1:2] [error] ajp_connect_to_endpoint::jk_ajp_common.c (1): Failed opening socket to (10.0.0.2:8009) (errno=111)';
const L2 = '[Sat Nov 21 10:52:25.905 2026] [1:2] [info] jk_handler::mod_jk.c (2): Service error=-3 for worker=w1';

async function read(chunks: Buffer[]): Promise<LogLineReader> {
  const r = new LogLineReader('x', lineContext({ tz: 'UTC' }));
  await feedStream(Readable.from(chunks), r);
  r.end();
  return r;
}

describe('line ends and encodings', () => {
  it('CR-only line ends: one line each, both recognised', async () => {
    const r = await read([Buffer.from(`${L1}\r${L2}\r${L1}\r`)]);
    expect(r.summary.lines).toBeGreaterThanOrEqual(3);
    expect(r.summary.byDialect.modjk).toBe(3);
  });

  it('UTF-16LE without a BOM is read as text, not refused as binary', async () => {
    const r = await read([Buffer.from(`${L1}\n${L2}\n`, 'utf16le')]);
    expect(r.summary.binary).toBeUndefined();
    expect(r.summary.byDialect.modjk).toBe(2);
  });

  it('UTF-16BE, without a BOM and with one, is read as text in chunks of odd lengths', async () => {
    const le = Buffer.from(`${L1}\n${L2}\n${L1}\n`, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const bytes of [be, Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      const pieces: Buffer[] = [];
      for (let o = 0; o < bytes.length; o += 101) pieces.push(bytes.subarray(o, o + 101));
      const r = await read(pieces);
      expect(r.summary.binary).toBeUndefined();
      expect(r.summary.byDialect.modjk).toBe(3);
      expect(r.summary.unrecognised).toBe(0);
    }
  });

  it('after a line over 1 MiB, the next line has the number it has in the file, in one chunk or many', async () => {
    const long = 'x'.repeat(3 << 20);
    const text = Buffer.from(`${L1}\n${long}\n${L2}\n`);
    const whole = await read([text]);
    const pieces: Buffer[] = [];
    for (let o = 0; o < text.length; o += 65536) pieces.push(text.subarray(o, o + 65536));
    const chunked = await read(pieces);
    expect(chunked.summary.lines).toBe(whole.summary.lines);
    expect(whole.summary.byDialect.modjk).toBe(2);
    expect(chunked.summary.byDialect.modjk).toBe(2);
  });
});
