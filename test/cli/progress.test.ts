/**
 * The progress line of long capture and log reads (src/cli/progress.ts, wired in src/cli/io.ts
 * runCapture and logProgress, src/cli/findings.ts readLogStream):
 * the formatter, the throttle and the erase, when it is wanted, and, run as a user runs the tool,
 * that it appears on a terminal and never in a pipe or with -q.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatProgress, progressWanted, ProgressLine } from '../../src/cli/progress.js';
import { runCapture, setCaptureProgress } from '../../src/cli/io.js';
import { readLogStream } from '../../src/cli/findings.js';
import { pcap, udpPacket } from '../helpers/capture-builder.js';
import { cli, root, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajpi-progress-');
const ERASE = '\r\x1b[2K';

/** A capture of `n` small UDP packets (enough for the 2048-packet progress steps). */
function udpCapture(n: number): string {
  const f = join(tempDir(), 'udp.pcap');
  const packets = Array.from({ length: n }, (_, i) => udpPacket({ src: '10.0.0.1:5000', dst: '10.0.0.2:53', payload: 'x'.repeat(100), ts: 1700000000 + i * 0.001 }));
  writeFileSync(f, pcap(packets));
  return f;
}

describe('formatProgress', () => {
  it('bytes of total, percentage, packets, rate, ETA', () => {
    expect(formatProgress({ bytes: 412e6, total: 2.1e9, count: 3.2e6, elapsedMs: 2000 })).toBe('reading: 412 MB of 2.1 GB (19%), 3.2M packets, 206 MB/s, ETA 9 s');
  });
  it('stdin: no total, so no percentage and no ETA', () => {
    expect(formatProgress({ bytes: 5.25e6, total: undefined, count: 12345, elapsedMs: 500 })).toBe('reading: 5.3 MB, 12k packets, 11 MB/s');
  });
  it('a label says which reading it is (timeline reads a large capture again for its stories)', () => {
    expect(formatProgress({ bytes: 5.25e6, total: 1.05e7, count: 12345, elapsedMs: 500 }, 'reading again for the stories, 2 of 8')).toBe(
      'reading again for the stories, 2 of 8: 5.3 MB of 11 MB (50%), 12k packets, 11 MB/s, ETA 1 s',
    );
  });
  it('a log read counts lines', () => {
    expect(formatProgress({ bytes: 412e6, total: 789e6, count: 2.6e6, elapsedMs: 4000 }, 'reading', 'lines')).toBe('reading: 412 MB of 789 MB (52%), 2.6M lines, 103 MB/s, ETA 4 s');
  });
  it('units', () => {
    expect([formatBytes(999), formatBytes(1000), formatBytes(12_345_678), formatBytes(2.5e12)]).toEqual(['999 B', '1.0 kB', '12 MB', '2.5 TB']);
    expect([formatCount(987), formatCount(1234), formatCount(456_789), formatCount(3_210_000)]).toEqual(['987', '1.2k', '457k', '3.2M']);
    expect([formatDuration(8.2), formatDuration(245), formatDuration(3725)]).toEqual(['9 s', '4 min 05 s', '1 h 02 min']);
  });
});

describe('ProgressLine', () => {
  it('waits 250 ms before the first line, redraws at most every 250 ms, erases at the end', () => {
    let now = 0;
    const writes: string[] = [];
    const line = new ProgressLine({ write: (s: string) => writes.push(s), columns: 200 }, { now: () => now });
    line.update(1e6, 1e7, 100);
    now = 100;
    line.update(2e6, 1e7, 200);
    expect(writes).toEqual([]); // a short read never flashes a line
    now = 300;
    line.update(3e6, 1e7, 300);
    now = 400;
    line.update(4e6, 1e7, 400);
    now = 560;
    line.update(5e6, 1e7, 500);
    expect(writes).toEqual([`${ERASE}reading: 3.0 MB of 10 MB (30%), 300 packets, 10 MB/s, ETA 1 s`, `${ERASE}reading: 5.0 MB of 10 MB (50%), 500 packets, 8.9 MB/s, ETA 1 s`]);
    line.done();
    expect(writes.at(-1)).toBe(ERASE);
  });

  it('fits the terminal width; nothing to erase when nothing was drawn', () => {
    let now = 0;
    const writes: string[] = [];
    const line = new ProgressLine({ write: (s: string) => writes.push(s), columns: 20 }, { now: () => now });
    now = 1000;
    line.update(1e9, 2e9, 1e6);
    expect(writes[0]).toBe(`${ERASE}reading: 1.0 GB of`);
    const quiet: string[] = [];
    new ProgressLine({ write: (s: string) => quiet.push(s) }).done();
    expect(quiet).toEqual([]);
  });
});

describe('progressWanted', () => {
  const base = { stderrTty: true, stdoutTty: true, quiet: false, outputToStdout: true, streamsOutput: false, env: {} };
  it('on a terminal, the report written after the read: yes', () => {
    expect(progressWanted(base)).toBe(true);
  });
  it('never when stderr is a pipe or a file, with -q, or on a dumb terminal', () => {
    expect(progressWanted({ ...base, stderrTty: false })).toBe(false);
    expect(progressWanted({ ...base, quiet: true })).toBe(false);
    expect(progressWanted({ ...base, env: { TERM: 'dumb' } })).toBe(false);
  });
  it('not when the command prints while reading onto the same terminal (frames); yes when its output goes elsewhere', () => {
    expect(progressWanted({ ...base, streamsOutput: true })).toBe(false);
    expect(progressWanted({ ...base, streamsOutput: true, outputToStdout: false })).toBe(true);
    expect(progressWanted({ ...base, streamsOutput: true, stdoutTty: false })).toBe(true);
  });
});

describe('runCapture draws the line through the reader\'s onProgress hook', () => {
  it('lines with bytes of the file size and packets, erased when the read ends', async () => {
    const f = udpCapture(6000);
    const writes: string[] = [];
    setCaptureProgress({ stream: { write: (s: string) => writes.push(s) }, delayMs: 0, intervalMs: 0 });
    try {
      const run = await runCapture(f, {});
      expect(run.packets).toBe(6000);
    } finally {
      setCaptureProgress(undefined);
    }
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes[0]).toMatch(/^\r\x1b\[2Kreading: \d+(\.\d)? kB of \d+ kB \(\d+%\), 2\.0k packets/);
    expect(writes.at(-1)).toBe(ERASE);
  });

  it('nothing when progress is off (the default)', async () => {
    const f = udpCapture(3000);
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => (writes.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await runCapture(f, {});
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.filter((w) => w.includes('reading:'))).toEqual([]);
  });
});

describe('readLogStream draws the line through the log read\'s onProgress', () => {
  it('bytes of the file size and lines, erased when the read ends', async () => {
    // a real mod_jk debug log (samples/baseline) repeated past several 64 kB chunks
    const f = join(tempDir(), 'mod_jk.log');
    writeFileSync(f, readFileSync(join(root, 'samples', 'baseline', 'mod_jk.log'), 'utf8').repeat(4));
    const writes: string[] = [];
    let events = 0;
    setCaptureProgress({ stream: { write: (s: string) => writes.push(s) }, delayMs: 0, intervalMs: 0 });
    try {
      await readLogStream([f], 'UTC', () => events++);
    } finally {
      setCaptureProgress(undefined);
    }
    expect(events).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes[0]).toMatch(/^\r\x1b\[2Kreading: \d+(\.\d)? [kM]B of \d+(\.\d)? MB \(\d+%\), [\d.]+k? lines/);
    expect(writes.at(-2)).toMatch(/ \(100%\), /);
    expect(writes.at(-1)).toBe(ERASE);
  });

  it('nothing when progress is off (the default)', async () => {
    const f = join(tempDir(), 'mod_jk.log');
    writeFileSync(f, readFileSync(join(root, 'samples', 'baseline', 'mod_jk.log'), 'utf8').repeat(4));
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => (writes.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await readLogStream([f], 'UTC', () => undefined);
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.filter((w) => w.includes('reading:'))).toEqual([]);
  });
});

/**
 * The CLI reading a capture that arrives slowly on stdin (the first part, a pause, the rest), so
 * the read lasts longer than the 250 ms before the first line.
 */
function slowPipeline(f: string, extra: string): string {
  const size = readFileSync(f).length;
  const half = Math.floor(size / 2);
  return `(head -c ${half} '${f}'; sleep 0.6; tail -c +${half + 1} '${f}') | '${process.execPath}' '${cli}' - ${extra}`;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('the CLI shows progress only on a terminal', () => {
  it('stderr a pipe: no progress line', () => {
    const f = udpCapture(20000);
    const out = join(tempDir(), 'r.json');
    const r = spawnSync('sh', ['-c', slowPipeline(f, `-T json -o '${out}'`)], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).capture.packets).toBe(20000);
  });

  it.skipIf(!hasScript)('stderr a terminal (script(1)): the line appears and is erased; -q: nothing', () => {
    const f = udpCapture(20000);
    const out = join(tempDir(), 'r.json');
    const tty = (extra: string) =>
      spawnSync('script', ['-qec', slowPipeline(f, extra), '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    const r = tty(`-T json -o '${out}'`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[2Kreading: [\d.]+ [kM]B, [\d.]+k packets/);
    expect(r.stdout.trimEnd().endsWith(ERASE.trimEnd()) || r.stdout.endsWith(ERASE)).toBe(true);
    const q = tty(`-T json -q -o '${out}'`);
    expect(q.status).toBe(0);
    expect(q.stdout).not.toContain('reading:');
  });
});
