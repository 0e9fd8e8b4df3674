import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CaptureFormatError, openCapture, type Packet, type OpenCaptureOptions } from '../../src/capture/index.js';
import { pcap, pcapHeader, pcapRecord, pcapng, rawPacket, tcpPacket, type BuiltPacket } from '../helpers/capture-builder.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ajp-capture-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(bytes: Buffer | string): string {
  const f = join(dir, `f${n++}`);
  writeFileSync(f, bytes);
  return f;
}

function packets(count: number, t0 = 1700000000): BuiltPacket[] {
  return Array.from({ length: count }, (_, i) =>
    tcpPacket({ src: '10.0.0.1:40000', dst: '10.0.0.2:8009', seq: 1 + i * 10, flags: 'PA', payload: `payload-${i}`, ts: t0 + i * 0.25 + 0.000123 }),
  );
}

async function readAll(src: string, opts: OpenCaptureOptions = {}) {
  const r = await openCapture(src, opts);
  const got: Packet[] = [];
  await r.read((p) => got.push({ ...p, data: Buffer.from(p.data) }));
  return { r, got };
}

async function formatError(src: string, opts: OpenCaptureOptions = {}): Promise<CaptureFormatError> {
  try {
    await readAll(src, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(CaptureFormatError);
    return err as CaptureFormatError;
  }
  throw new Error('expected a CaptureFormatError');
}

const stdin = (bytes: Buffer, chunk = bytes.length || 1) => {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts, { objectMode: false });
};

describe('classic pcap', () => {
  for (const opts of [{}, { bigEndian: true }, { nanos: true }, { nanos: true, bigEndian: true }]) {
    for (const engine of ['pcap-parser', 'direct'] as const) {
      it(`reads ${JSON.stringify(opts)} with ${engine}`, async () => {
        const pk = packets(5);
        const { r, got } = await readAll(file(pcap(pk, opts)), { pcapEngine: engine });
        expect(r.info).toMatchObject({
          format: opts.nanos ? 'pcap-ns' : 'pcap',
          byteOrder: opts.bigEndian ? 'big' : 'little',
          linkTypes: [1],
          gzip: false,
          snaplen: 262144,
        });
        expect(got.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5]);
        expect(r.frames).toBe(5);
        expect(got.map((p) => p.data)).toEqual(pk.map((p) => p.data));
        got.forEach((p, i) => expect(Math.abs(p.ts - pk[i].ts)).toBeLessThan(1e-6));
        expect(r.warnings).toEqual([]);
      });
    }
  }

  it('keeps sub-microsecond digits of nanosecond files', async () => {
    const p = { ...packets(1)[0], ts: 1700000000.123456789 };
    const { got } = await readAll(file(pcap([p], { nanos: true })));
    // 123456789 ns, not 123456 µs (a float around 1.7e9 keeps ~0.2 µs).
    expect(got[0].ts - 1700000000.123456).toBeGreaterThan(0.0000005);
  });

  it('masks FCS bits out of the link type word and keeps origLen from the record', async () => {
    const p = tcpPacket({ src: '10.0.0.1:1', dst: '10.0.0.2:2', payload: Buffer.alloc(200), snaplen: 60 });
    const { r, got } = await readAll(file(pcap([p], { linkType: 0x10000001 })));
    expect(r.info.linkTypes).toEqual([1]);
    expect(got[0].data.length).toBe(60);
    expect(got[0].origLen).toBe(254);
  });

  it('warns about a truncated last record and delivers the packets before it', async () => {
    const bytes = pcap(packets(4));
    for (const engine of ['pcap-parser', 'direct'] as const) {
      const { r, got } = await readAll(file(bytes.subarray(0, bytes.length - 5)), { pcapEngine: engine });
      expect(got.length).toBe(3);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0].code).toBe('truncated');
      expect(r.warnings[0].message).toMatch(/record 4 at offset \d+ declares \d+ bytes/);
      // A cut inside the record header.
      const hdrCut = await readAll(file(bytes.subarray(0, bytes.length - packets(1)[0].data.length - 8)), { pcapEngine: engine });
      expect(hdrCut.got.length).toBe(3);
      expect(hdrCut.r.warnings[0].message).toMatch(/8 stray bytes/);
    }
  });

  it('stops fast with a clear error on an impossible record length (no crawl to EOF)', async () => {
    const good = packets(10);
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(1700000100, 0);
    bad.writeUInt32LE(0x7fffffff, 8);
    bad.writeUInt32LE(0x7fffffff, 12);
    // 40 MB of junk after the bad header: pcap-parser alone would concatenate it chunk by chunk.
    const f = file(Buffer.concat([pcap(good), bad, Buffer.alloc(40 * 1024 * 1024, 0x5a)]));
    for (const engine of ['pcap-parser', 'direct'] as const) {
      const r = await openCapture(f, { pcapEngine: engine });
      const frames: number[] = [];
      const t0 = performance.now();
      const err = await r.read((p) => frames.push(p.frame)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(performance.now() - t0).toBeLessThan(1500);
      expect(err).toBeInstanceOf(CaptureFormatError);
      expect((err as Error).message).toMatch(/record 11 at offset \d+ claims 2147483647 captured bytes/);
      expect((err as Error).message.startsWith(f)).toBe(true);
      expect(frames).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(r.bytesRead).toBeLessThan(8 * 1024 * 1024);
    }
  });

  it('rejects an unsupported version and a cut file header', async () => {
    expect((await formatError(file(pcap(packets(1), { versionMajor: 3 })))).message).toMatch(/pcap version 3\.4 is not supported/);
    expect((await formatError(file(pcapHeader().subarray(0, 10)))).message).toMatch(/pcap file header cut short \(10 of 24 bytes\)/);
  });

  it('reads a header-only file as an empty capture', async () => {
    const { r, got } = await readAll(file(pcapHeader()));
    expect(got).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('reports bytesRead and sizeHint for files', async () => {
    const bytes = pcap(packets(50));
    const f = file(bytes);
    const { r } = await readAll(f);
    expect(r.bytesRead).toBe(statSync(f).size);
    expect(r.sizeHint).toBe(bytes.length);
  });
});

describe('pcapng', () => {
  it('reads EPBs with if_tsresol (decimal and power of two) and if_tsoffset, in both byte orders', async () => {
    const pk = packets(3);
    for (const bigEndian of [false, true]) {
      for (const iface of [{ linkType: 1 }, { linkType: 1, tsresol: 9 }, { linkType: 1, tsresol: 0x80 | 24 }, { linkType: 1, tsresol: 3 }, { linkType: 1, tsoffset: 1600000000 }]) {
        const { r, got } = await readAll(file(pcapng(pk, { bigEndian, interfaces: [iface] })));
        expect(r.info).toMatchObject({ format: 'pcapng', byteOrder: bigEndian ? 'big' : 'little', linkTypes: [1], sections: 1 });
        expect(got.map((p) => p.frame)).toEqual([1, 2, 3]);
        const tol = iface.tsresol === 3 ? 1e-3 : 1e-6;
        got.forEach((p, i) => expect(Math.abs(p.ts - pk[i].ts), JSON.stringify(iface)).toBeLessThan(tol));
        expect(got.map((p) => p.data)).toEqual(pk.map((p) => p.data));
      }
    }
  });

  it('numbers frames across sections with their own byte order and interfaces', async () => {
    const a = packets(2);
    const b = [tcpPacket({ src: '[::1]:1', dst: '[::1]:2', link: 'sll2', ts: 5 }), rawPacket(Buffer.from('zz'), 147, 6)];
    const bytes = Buffer.concat([pcapng(a), pcapng(b, { bigEndian: true }), pcapng(a, { block: 'pb' })]);
    const { r, got } = await readAll(file(bytes));
    expect(got.map((p) => [p.frame, p.linkType])).toEqual([
      [1, 1],
      [2, 1],
      [3, 276],
      [4, 147],
      [5, 1],
      [6, 1],
    ]);
    expect(r.info.sections).toBe(3);
    expect(r.info.byteOrder).toBe('little');
    expect(r.info.linkTypes).toEqual([1, 276, 147]);
  });

  it('reads SPBs (interface 0, length from the block and snaplen, previous time)', async () => {
    const pk = [tcpPacket({ src: '10.0.0.1:1', dst: '10.0.0.2:2', payload: Buffer.alloc(100, 1), ts: 7 })];
    const { got } = await readAll(file(pcapng(pk, { block: 'spb', interfaces: [{ linkType: 1, snaplen: 64 }] })));
    expect(got).toHaveLength(1);
    expect(got[0].data.length).toBe(64);
    expect(got[0].origLen).toBe(154);
    expect(got[0].ts).toBe(0);
  });

  it('skips NRB/ISB/DSB/unknown blocks; custom blocks take a frame number as in Wireshark', async () => {
    const bytes = pcapng(packets(2), {
      extraBlocks: [
        { type: 4, body: Buffer.alloc(4) },
        { type: 5, body: Buffer.alloc(8) },
        { type: 0x0a, body: Buffer.alloc(8) },
        { type: 0x12345, body: Buffer.alloc(12) },
        { type: 0x40000bad, body: Buffer.alloc(8) },
      ],
    });
    const { got, r } = await readAll(file(Buffer.concat([bytes, pcapng([], { extraBlocks: [{ type: 0xbad, body: Buffer.alloc(8) }] })])));
    expect(got.map((p) => p.frame)).toEqual([2, 3]);
    expect(r.frames).toBe(4); // the trailing custom block is frame 4
    expect(r.warnings).toEqual([]);
  });

  it('warns about a packet naming a missing interface and goes on', async () => {
    const bytes = pcapng(packets(1), { interfaces: [] }); // default creates interface 0
    const one = pcapng([], { interfaces: [{ linkType: 1 }] });
    // EPB whose interface id is 3 in a section with one interface.
    const epb = pcapng(packets(1)).subarray(one.length);
    epb.writeUInt32LE(3, 8);
    const { got, r } = await readAll(file(Buffer.concat([one, epb, bytes.subarray(one.length)])));
    expect(got.length).toBe(1);
    expect(r.warnings.map((w) => w.code)).toEqual(['bad-block']);
  });

  it('warns about a truncated final block', async () => {
    const bytes = pcapng(packets(3));
    const { got, r } = await readAll(file(bytes.subarray(0, bytes.length - 7)));
    expect(got.length).toBe(2);
    expect(r.warnings.map((w) => w.code)).toEqual(['truncated']);
    expect(r.warnings[0].message).toMatch(/block at offset \d+ has only \d+ bytes/);
  });

  it('stops on an impossible block length and on mismatched length fields', async () => {
    const good = pcapng(packets(2));
    const huge = Buffer.alloc(12);
    huge.writeUInt32LE(6, 0);
    huge.writeUInt32LE(0x7ffffff0, 4);
    expect((await formatError(file(Buffer.concat([good, huge, Buffer.alloc(1000)])))).message).toMatch(/impossible length 2147483632/);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(bad.readUInt32LE(bad.length - 4) + 4, bad.length - 4);
    expect((await formatError(file(bad))).message).toMatch(/says \d+ bytes at its start and \d+ at its end/);
    const badBom = Buffer.from(good);
    badBom.writeUInt32LE(0x11223344, 8);
    expect((await formatError(file(badBom))).message).toMatch(/bad byte-order magic/);
  });

  it('handles blocks split across many small chunks (stdin)', async () => {
    const pk = packets(20);
    const bytes = Buffer.concat([pcapng(pk.slice(0, 10)), pcapng(pk.slice(10), { bigEndian: true, interfaces: [{ linkType: 1, tsresol: 9 }] })]);
    for (const chunk of [1, 7, 64, 1000]) {
      const { got, r } = await readAll('-', { stdin: stdin(bytes, chunk) });
      expect(got.map((p) => p.data), `chunk ${chunk}`).toEqual(pk.map((p) => p.data));
      expect(r.warnings).toEqual([]);
    }
  });
});

describe('sniffing, gzip and stdin', () => {
  it('names the file and what it found when it is not a capture', async () => {
    const f = file('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const e = await formatError(f);
    expect(e.message).toBe(`${f}: not a capture: looks like text: 'GET / HTTP/1…'`);
    expect((await formatError(file(''))).message).toMatch(/not a capture: empty file$/);
    expect((await formatError(file(Buffer.from([1, 2])))).message).toMatch(/only 2 bytes, too short/);
    expect((await formatError(file(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])))).message).toMatch(/zstd-compressed data: decompress it with `zstd -d` first/);
    expect((await formatError(file(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3])))).message).toMatch(/unknown magic number 0xdeadbeef/);
    expect((await formatError(file(Buffer.from('a1b2cd34000000000000000000000000', 'hex')))).message).toMatch(/modified pcap/);
  });

  it('reads gzip-compressed pcap and pcapng, and says when gzip holds something else', async () => {
    const pk = packets(3);
    for (const [bytes, engine] of [[pcap(pk), 'pcap-parser'], [pcap(pk), 'direct'], [pcapng(pk), undefined], [pcap(pk, { nanos: true, bigEndian: true }), 'pcap-parser']] as const) {
      const { r, got } = await readAll(file(gzipSync(bytes)), { pcapEngine: engine });
      expect(r.info.gzip).toBe(true);
      expect(got.map((p) => p.data)).toEqual(pk.map((p) => p.data));
    }
    expect((await formatError(file(gzipSync('hello world, not a capture')))).message).toMatch(/gzip-compressed, but not a capture inside: looks like text: 'hello world,…'/);
    expect((await formatError(file(gzipSync(Buffer.alloc(0))))).message).toMatch(/gzip-compressed, but not a capture inside: nothing/);
    expect((await formatError(file(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])))).message).toMatch(/gzip-compressed, but the gzip data is broken/);
  });

  it('reads multi-member gzip (concatenated .gz files) as one stream', async () => {
    const pk = packets(6);
    const bytes = pcap(pk);
    const cut = 24 + pcapRecord(pk[0]).length * 2;
    const { got } = await readAll(file(Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))])));
    expect(got.length).toBe(6);
  });

  it('turns a cut gzip stream into a warning after the packets it held', async () => {
    const pk = packets(2000);
    const gz = gzipSync(pcap(pk));
    for (const [bytes, engine] of [[gz, 'pcap-parser'], [gz, 'direct'], [gzipSync(pcapng(pk)), undefined]] as const) {
      const cutGz = bytes.subarray(0, Math.floor(bytes.length * 0.6));
      const { r, got } = await readAll(file(cutGz), { pcapEngine: engine });
      expect(got.length).toBeGreaterThan(100);
      expect(got.length).toBeLessThan(2000);
      expect(r.warnings.map((w) => w.code)).toContain('truncated');
      // The CLI puts the file name in front (src/cli/analysis.ts printWarnings): not twice.
      expect(r.warnings.some((w) => /^gzip stream cut short/.test(w.message))).toBe(true);
    }
  });

  it('stops a gzip bomb at the expansion bound with a warning, after the records before it', async () => {
    // A pcap header and 8 MiB of zeros (empty records at time 0) in 1 MiB gzip members: about 1000-fold.
    const mib = Buffer.alloc(1 << 20);
    const bomb = Buffer.concat([gzipSync(Buffer.concat([pcapHeader(), mib])), ...Array.from({ length: 7 }, () => gzipSync(mib))]);
    // Both pcap engines (the direct loop and pcap-parser behind its adapter) stop there.
    for (const pcapEngine of ['direct', 'pcap-parser'] as const) {
      const { r, got } = await readAll(file(bomb), { gzipRatioFrom: 4 << 20, pcapEngine });
      expect(got.length, pcapEngine).toBeGreaterThan(0);
      expect(got.length, pcapEngine).toBeLessThan((8 << 20) / 16);
      expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^the gzip data expands/)]);
      expect(r.warnings[0]!.code).toBe('truncated');
      expect(r.warnings[0]!.message).toMatch(/^the gzip data expands more than 500-fold \(\d+ MB from \d+ kB\): a gzip bomb or a capture of nothing/);
    }
    // A real capture compresses far less: never stopped, whatever the size.
    const real = await readAll(file(gzipSync(pcap(packets(2000)))), { gzipRatioFrom: 0 });
    expect(real.got.length).toBe(2000);
    expect(real.r.warnings).toEqual([]);
  });

  it('does not crash when a small cut .gz fails before read() is called', async () => {
    const gz = gzipSync(pcap(packets(50)));
    const r = await openCapture(file(gz.subarray(0, gz.length - 20)));
    await new Promise((res) => setTimeout(res, 50));
    const got: number[] = [];
    await r.read((p) => got.push(p.frame));
    expect(r.warnings.map((w) => w.code)).toContain('truncated');
  });

  it("reads '-' from the given stdin stream, in pieces too", async () => {
    const pk = packets(8);
    for (const chunk of [3, 16, 100000]) {
      for (const [bytes, engine] of [pcap(pk), gzipSync(pcap(pk)), pcap(pk, { nanos: true })].flatMap((b) => [[b, 'pcap-parser'], [b, 'direct']] as const)) {
        const { r, got } = await readAll('-', { stdin: stdin(bytes, chunk), pcapEngine: engine });
        expect(got.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(r.warnings).toEqual([]);
      }
    }
    const e = await formatError('-', { stdin: stdin(Buffer.from('hello')) });
    expect(e.message).toBe("stdin: not a capture: looks like text: 'hello'");
  });

  it('rejects with the I/O error for a missing file', async () => {
    await expect(openCapture(join(dir, 'does-not-exist.pcap'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('pull form', () => {
  it('iterates packets with for await, and stops early without leaking', async () => {
    const pk = packets(10000);
    const f = file(pcap(pk));
    const r = await openCapture(f);
    let count = 0;
    let last = 0;
    for await (const p of r) {
      count++;
      expect(p.frame).toBe(last + 1);
      last = p.frame;
    }
    expect(count).toBe(10000);
    const r2 = await openCapture(f);
    const first: number[] = [];
    for await (const p of r2) {
      first.push(p.frame);
      if (first.length === 3) break;
    }
    expect(first).toEqual([1, 2, 3]);
  });

  it('throws the format error from the iterator', async () => {
    const bad = Buffer.alloc(12);
    bad.writeUInt32LE(6, 0);
    bad.writeUInt32LE(3, 4);
    const r = await openCapture(file(Buffer.concat([pcapng(packets(1)), bad])));
    const frames: number[] = [];
    await expect(
      (async () => {
        for await (const p of r) frames.push(p.frame);
      })(),
    ).rejects.toBeInstanceOf(CaptureFormatError);
    expect(frames).toEqual([1]);
  });
});
