/**
 * How far a log read has come (src/logs/read.ts ReadMeter, ReadLogsOptions.onProgress): told after
 * each chunk, the bytes read from the inputs (a gzip file's compressed bytes) against their total
 * size, and the lines read; no total when stdin is read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamLogs } from '../../src/logs/index.js';
import { root, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajpi-read-progress-');
// A real mod_jk debug log (samples/baseline, 600 kB), repeated: many 64 kB chunks.
const SAMPLE = readFileSync(join(root, 'samples', 'baseline', 'mod_jk.log'), 'utf8');

function logFile(name: string, copies: number, gzip = false): { path: string; size: number; lines: number } {
  const text = SAMPLE.repeat(copies);
  const path = join(tempDir(), name);
  const bytes = gzip ? gzipSync(text) : Buffer.from(text);
  writeFileSync(path, bytes);
  return { path, size: bytes.length, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
}

type Tick = [bytes: number, total: number | undefined, lines: number];

async function ticks(sources: string[], stdin?: NodeJS.ReadableStream): Promise<{ ticks: Tick[]; lines: number }> {
  const seen: Tick[] = [];
  const summaries = await streamLogs(sources, { tz: 'UTC', ...(stdin ? { stdin } : {}), onProgress: (b, t, l) => seen.push([b, t, l]) }, () => undefined);
  return { ticks: seen, lines: summaries.reduce((n, s) => n + s.lines, 0) };
}

function ascending(ts: Tick[]): boolean {
  return ts.every((t, i) => i === 0 || (t[0] >= ts[i - 1]![0] && t[2] >= ts[i - 1]![2]));
}

describe('a log read says how far it has come', () => {
  it('one file: bytes up to its size, lines up to its lines, the size as total', async () => {
    const f = logFile('a.log', 4);
    expect(f.size).toBeGreaterThan(4 * 65536);
    const r = await ticks([f.path]);
    expect(r.ticks.length).toBeGreaterThanOrEqual(Math.floor(f.size / 65536));
    expect(ascending(r.ticks)).toBe(true);
    expect(r.ticks.every((t) => t[1] === f.size)).toBe(true);
    expect(r.ticks.at(-1)![0]).toBe(f.size);
    // the last chunk's lines, but for the file's last line (ended after the last chunk)
    expect(r.ticks.at(-1)![2]).toBeGreaterThanOrEqual(r.lines - 1);
    expect(r.lines).toBe(f.lines);
  });

  it('two files merged by time: the total is both sizes, and both are read to their end', async () => {
    const a = logFile('a.log', 2);
    const b = logFile('b.log', 3);
    const r = await ticks([a.path, b.path]);
    expect(ascending(r.ticks)).toBe(true);
    expect(r.ticks.every((t) => t[1] === a.size + b.size)).toBe(true);
    expect(r.ticks.at(-1)![0]).toBe(a.size + b.size);
  });

  it('a gzip file: its compressed bytes, against its size on disk', async () => {
    const f = logFile('a.log.gz', 8, true);
    const r = await ticks([f.path]);
    expect(r.ticks.length).toBeGreaterThan(2);
    expect(r.ticks.every((t) => t[1] === f.size && t[0] <= f.size)).toBe(true);
    expect(r.ticks.at(-1)![0]).toBe(f.size);
    expect(r.lines).toBe(SAMPLE.split('\n').length * 8 - 8);
  });

  it('stdin: bytes and lines, no total', async () => {
    const text = SAMPLE.repeat(2);
    const stdin = Readable.from([Buffer.from(text.slice(0, 100_000)), Buffer.from(text.slice(100_000))]);
    const r = await ticks(['-'], stdin);
    expect(r.ticks.length).toBeGreaterThan(0);
    expect(r.ticks.every((t) => t[1] === undefined)).toBe(true);
    expect(r.ticks.at(-1)![0]).toBe(Buffer.byteLength(text));
  });
});
