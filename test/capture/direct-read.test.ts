/**
 * Regular files are read with positional reads into two reused 1 MiB buffers (reader.ts readFile):
 * records and blocks that straddle those buffers must come out exactly as from a stream (stdin,
 * pieces of every size) and, for classic pcap, as from the pcap-parser engine.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CHUNK_SIZE, CaptureFormatError, openCapture, type OpenCaptureOptions } from '../../src/capture/index.js';
import { pcap, pcapng, rawPacket, type BuiltPacket } from '../helpers/capture-builder.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ajp-direct-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(bytes: Buffer): string {
  const f = join(dir, `f${n++}`);
  writeFileSync(f, bytes);
  return f;
}

/** Packets of many sizes (1 … 9000 bytes, a few of 70 000), so boundaries fall everywhere, headers included. */
function varied(total: number): BuiltPacket[] {
  const out: BuiltPacket[] = [];
  let size = 0;
  for (let i = 0; size < total; i++) {
    const len = i % 97 === 50 ? 70000 : 1 + ((i * 7919) % 9000);
    const data = Buffer.alloc(len);
    for (let j = 0; j < len; j += 251) data[j] = (i + j) & 0xff;
    if (len >= 4) data.writeUInt32BE(i, 0);
    out.push(rawPacket(data, 1, 1700000000 + i * 0.001));
    size += len + 16;
  }
  return out;
}

interface Got {
  frame: number;
  ts: number;
  origLen: number;
  linkType: number;
  data: Buffer;
}

async function readFrom(src: string, opts: OpenCaptureOptions = {}) {
  const r = await openCapture(src, opts);
  const got: Got[] = [];
  let err: unknown;
  await r.read((p) => got.push({ frame: p.frame, ts: p.ts, origLen: p.origLen, linkType: p.linkType, data: Buffer.from(p.data) })).catch((e: unknown) => {
    err = e;
  });
  return { r, got, err };
}

/** The same bytes through stdin in pieces of `piece` bytes (the stream path). */
function stdinOf(bytes: Buffer, piece: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) parts.push(bytes.subarray(i, i + piece));
  return Readable.from(parts, { objectMode: false });
}

function same(a: Got[], b: Got[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.frame !== y.frame || x.ts !== y.ts || x.origLen !== y.origLen || x.linkType !== y.linkType || !x.data.equals(y.data)) {
      expect({ ...x, data: x.data.length }).toEqual({ ...y, data: y.data.length });
      expect(x.data.equals(y.data)).toBe(true);
    }
  }
}

describe('direct file reading across read buffers', () => {
  const pk = varied(3.5 * CHUNK_SIZE);

  it('classic pcap: same packets as stdin pieces and as pcap-parser; bytesRead is the size', async () => {
    const bytes = pcap(pk);
    const f = file(bytes);
    const direct = await readFrom(f);
    expect(direct.err).toBeUndefined();
    expect(direct.got.length).toBe(pk.length);
    expect(direct.got[pk.length - 1].data.equals(pk[pk.length - 1].data)).toBe(true);
    expect(direct.r.bytesRead).toBe(statSync(f).size);
    const parser = await readFrom(f, { pcapEngine: 'pcap-parser' });
    same(direct.got, parser.got);
    for (const piece of [1000, 65536 + 3]) {
      const s = await readFrom('-', { stdin: stdinOf(bytes, piece) });
      same(direct.got, s.got);
    }
    // Every record straddling a 1 MiB boundary, header cut included, was met.
    let off = 24;
    let straddling = 0;
    let headerCut = 0;
    for (const p of pk) {
      const end = off + 16 + p.data.length;
      if (Math.floor(off / CHUNK_SIZE) !== Math.floor((end - 1) / CHUNK_SIZE)) straddling++;
      if (Math.floor(off / CHUNK_SIZE) !== Math.floor((off + 15) / CHUNK_SIZE)) headerCut++;
      off = end;
    }
    expect(straddling).toBeGreaterThanOrEqual(3);
  });

  it('record headers cut by the buffer boundary at every byte: same as stdin', async () => {
    // Records placed so that the k-th boundary cuts a 16-byte record header after k bytes (k = 0…16).
    const list: BuiltPacket[] = [];
    let off = 24;
    let t = 1700000000;
    const add = (len: number) => {
      list.push(rawPacket(Buffer.alloc(len, list.length & 0xff), 1, (t += 0.5)));
      off += 16 + len;
    };
    for (let k = 0; k <= 16; k++) {
      const target = (k + 1) * CHUNK_SIZE - k;
      while (target - off > 200016 + 16) add(200000);
      add(target - off - 16);
      add(100);
    }
    const bytes = pcap(list);
    const direct = await readFrom(file(bytes));
    expect(direct.err).toBeUndefined();
    expect(direct.got.length).toBe(list.length);
    same(direct.got, (await readFrom(file(bytes), { pcapEngine: 'pcap-parser' })).got);
    same(direct.got, (await readFrom('-', { stdin: stdinOf(bytes, 100003) })).got);
  });

  it('classic pcap, big-endian nanosecond: same as stdin', async () => {
    const bytes = pcap(pk, { bigEndian: true, nanos: true });
    const direct = await readFrom(file(bytes));
    expect(direct.err).toBeUndefined();
    same(direct.got, (await readFrom('-', { stdin: stdinOf(bytes, 4093) })).got);
  });

  it('pcapng: same packets as stdin pieces', async () => {
    const bytes = pcapng(pk);
    const direct = await readFrom(file(bytes));
    expect(direct.err).toBeUndefined();
    expect(direct.got.length).toBe(pk.length);
    same(direct.got, (await readFrom('-', { stdin: stdinOf(bytes, 7777) })).got);
  });

  it('a cut last record, and an impossible length past the first buffer: same warning / error as stdin', async () => {
    const bytes = pcap(pk);
    const cut = bytes.subarray(0, bytes.length - 5);
    const a = await readFrom(file(cut));
    const b = await readFrom('-', { stdin: stdinOf(cut, 5000) });
    same(a.got, b.got);
    expect(a.r.warnings).toEqual(b.r.warnings);
    expect(a.r.warnings[0].message).toMatch(/capture cut short: record \d+ at offset \d+/);

    // Corrupt the caplen of the first record that straddles the first buffer boundary.
    let off = 24;
    let i = 0;
    while (off + 16 + pk[i].data.length <= CHUNK_SIZE) off += 16 + pk[i++].data.length;
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0x7fffffff, off + 8);
    const c = await readFrom(file(bad), { name: 'x.pcap' });
    const d = await readFrom('-', { stdin: stdinOf(bad, 5000), name: 'x.pcap' });
    expect(c.err).toBeInstanceOf(CaptureFormatError);
    expect((c.err as Error).message).toBe((d.err as Error).message);
    expect((c.err as Error).message).toContain(`record ${i + 1} at offset ${off} claims 2147483647`);
    same(c.got, d.got);
    expect(c.got.length).toBe(i);
  });
});
