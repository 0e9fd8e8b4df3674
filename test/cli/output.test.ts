/**
 * The user's files are sacred: `-o` never writes onto an input (same file, by any name), checks it
 * can write before the analysis, writes atomically, and `-o -` is stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, linkSync, openSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root, runCli, useTempDirs } from '../helpers/cli.js';
import { pcap, tcpPacket } from '../helpers/capture-builder.js';
import { openOutput, setOutputGuard } from '../../src/cli/output.js';
import { inputSecrets } from '../../src/util/secrets.js';

const tempDir = useTempDirs('ajpi-out-');

const BASE = 'samples/baseline/capture.pcap';
const LOG = 'samples/backend-down/mod_jk.log';

/** A copy of a sample in a fresh folder, and its bytes. */
function copy(sample: string, name: string): { dir: string; path: string; bytes: Buffer } {
  const dir = tempDir();
  const path = join(dir, name);
  copyFileSync(join(root, sample), path);
  return { dir, path, bytes: readFileSync(path) };
}

function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('-o never writes onto an input', () => {
  it('capture.pcap -o capture.pcap: refused, the capture unchanged', () => {
    const c = copy(BASE, 'capture.pcap');
    for (const cmd of [[], ['frames'], ['timeline'], ['mcmp']]) {
      const r = runCli([...cmd, c.path, '-o', c.path]);
      expect(r.code).toBe(2);
      expect(oneLine(r.err)).toMatch(/refusing to write .*capture\.pcap.*input/);
      expect(readFileSync(c.path).equals(c.bytes)).toBe(true);
    }
  });

  it('diagnose jk.log -o jk.log: refused, the log unchanged', () => {
    const l = copy(LOG, 'mod_jk.log');
    const r = runCli(['diagnose', l.path, '-o', l.path]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/refusing to write/);
    expect(readFileSync(l.path).equals(l.bytes)).toBe(true);
  });

  it('onto a --log or --capture input, through a symlink or a hard link: refused', () => {
    const c = copy(BASE, 'capture.pcap');
    const l = join(c.dir, 'mod_jk.log');
    copyFileSync(join(root, LOG), l);
    const logBytes = readFileSync(l);
    const sym = join(c.dir, 'report.json');
    symlinkSync(c.path, sym);
    const hard = join(c.dir, 'hard.txt');
    linkSync(l, hard);
    for (const args of [
      [c.path, '--log', l, '-o', l],
      [c.path, '-o', sym],
      [c.path, '--log', l, '-o', hard],
      ['diagnose', l, '--capture', c.path, '-o', sym],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(oneLine(r.err)).toMatch(/refusing to write/);
    }
    expect(readFileSync(c.path).equals(c.bytes)).toBe(true);
    expect(readFileSync(l).equals(logBytes)).toBe(true);
  });
});

describe('-o is checked before the analysis and written atomically', () => {
  it('a missing folder: one line about the output, before the capture is read, exit 2', () => {
    const dir = tempDir();
    const out = join(dir, 'no', 'such', 'r.json');
    // The capture does not exist either: the output is checked first, so the error names the output.
    const r = runCli(['no/such/capture.pcap', '-o', out]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/cannot write .*r\.json: no folder .*such/);
    const d = runCli(['diagnose', LOG, '-o', out]);
    expect(d.code).toBe(2);
    expect(oneLine(d.err)).toMatch(/cannot write .*: no folder/);
  });

  it('an existing report is replaced; no temporary file is left; an analysis that fails leaves it untouched', () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    writeFileSync(out, 'previous report\n');
    const r = runCli([BASE, '--ajp-port', '18009', '-T', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('ajp-inspect/report');
    expect(readdirSync(dir)).toEqual(['r.json']);

    const before = readFileSync(out);
    const bad = join(dir, 'not-a-capture.pcap');
    writeFileSync(bad, 'hello\n');
    const f = runCli([bad, '-o', out]);
    expect(f.code).toBe(2);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['not-a-capture.pcap', 'r.json']);
  });

  it('-o - writes to stdout (no file named "-")', () => {
    const dir = tempDir();
    const c = copy(BASE, 'capture.pcap');
    for (const cmd of [[], ['frames'], ['mcmp']]) {
      const r = runCli([...cmd, c.path, '--ajp-port', '18009', '-T', 'json', '-o', '-']);
      expect(r.code === 0 || r.code === 1).toBe(true);
      expect(r.out.length).toBeGreaterThan(0);
    }
    expect(existsSync(join(root, '-'))).toBe(false);
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(readdirSync(c.dir)).toEqual(['capture.pcap']);
  });

  it('-o /dev/stdout with stdout a pipe writes into the pipe (the name is opened, not its /proc target pipe:[N])', () => {
    const r = spawnSync(process.execPath, [cli, BASE, '--ajp-port', '18009', '-o', '/dev/stdout'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Verdict: /);
  });

  it('frames and timeline write to -o (not stdout)', () => {
    const dir = tempDir();
    for (const cmd of ['frames', 'timeline']) {
      const out = join(dir, `${cmd}.txt`);
      const r = runCli([cmd, BASE, '--ajp-port', '18009', '-o', out]);
      expect(r.code).toBe(0);
      expect(r.out).toBe('');
      expect(readFileSync(out, 'utf8')).toMatch(/FORWARD_REQUEST|GET \/app/);
    }
    const rules = join(dir, 'rules.json');
    const r = runCli(['rules', '-T', 'json', '-o', rules]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect((JSON.parse(readFileSync(rules, 'utf8')) as unknown[]).length).toBeGreaterThan(10);
  });

  it('an interrupted run (Ctrl-C) leaves neither a temporary file nor a changed report', async () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    writeFileSync(out, 'previous report\n');
    // A capture on stdin that never ends: the run is still reading when it is interrupted.
    const child = spawn(process.execPath, [cli, '-', '-o', out], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write(readFileSync(join(root, BASE)).subarray(0, 4096));
    // Wait for the temporary file beside the report: the output is open, the capture being read.
    for (let i = 0; i < 200 && readdirSync(dir).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).length).toBe(2);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
  });
});

describe('what is written is the text, in UTF-8, byte for byte', () => {
  it('-o: pieces small and large (over the reused buffer), multi-byte, surrogate pairs, a lone surrogate', () => {
    setOutputGuard({ showSecrets: false, color: false });
    inputSecrets.clear();
    const pieces = ['{"a": 1}\n', 'é ü 致命的 \u{1F600}\n', 'x\uD83D y\n', 'ab'.repeat(50_000), '\u{1F601}'.repeat(60_000), '\n', 'é'.repeat(90_000), '致'.repeat(200_000), ''];
    const path = join(tempDir(), 'r.txt');
    const out = openOutput(path, []);
    for (const t of pieces) out.write(t);
    out.commit();
    expect(readFileSync(path).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });

  it('stdout a regular file, a pipe, and -o: the same report', () => {
    const dir = tempDir();
    const viaO = join(dir, 'o.json');
    expect([0, 1]).toContain(runCli([BASE, '--ajp-port', '18009', '-T', 'json', '-o', viaO]).code);
    const viaFile = join(dir, 'stdout.json');
    const fd = openSync(viaFile, 'w');
    try {
      const r = spawnSync(process.execPath, [cli, BASE, '--ajp-port', '18009', '-T', 'json'], { cwd: root, stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      expect([0, 1]).toContain(r.status);
    } finally {
      closeSync(fd);
    }
    const piped = runCli([BASE, '--ajp-port', '18009', '-T', 'json']);
    const o = readFileSync(viaO);
    expect(o.length).toBeGreaterThan(1000);
    expect(readFileSync(viaFile).equals(o)).toBe(true);
    expect(Buffer.from(piped.out, 'utf8').equals(o)).toBe(true);
  });
});

describe('stdout back-pressure', () => {
  // A connection of 600,000 CPINGs (5 bytes each, 256 to a segment): `frames` prints a 56-byte line
  // for each, about 34 MB, from a 3 MB capture.
  function cpings(): Buffer {
    const c = '10.0.0.1:40004';
    const s = '10.0.0.2:8009';
    const packets = [
      tcpPacket({ src: c, dst: s, seq: 1000, flags: 'S', ts: 1 }),
      tcpPacket({ src: s, dst: c, seq: 5000, ack: 1001, flags: 'SA', ts: 1.0001 }),
      tcpPacket({ src: c, dst: s, seq: 1001, ack: 5001, flags: 'A', ts: 1.0002 }),
    ];
    const seg = Buffer.concat(Array.from({ length: 256 }, () => Buffer.from('123400010a', 'hex')));
    for (let i = 0, seq = 1001; i < 2400; i++, seq += seg.length) packets.push(tcpPacket({ src: c, dst: s, seq, ack: 5001, flags: 'PA', payload: seg, ts: 1.001 + i * 1e-4 }));
    return pcap(packets);
  }

  it.skipIf(!existsSync('/proc/self/status'))('frames into a reader that stops reading: the analysis waits, memory stays flat, every line arrives', async () => {
    const dir = tempDir();
    const path = join(dir, 'cping.pcap');
    writeFileSync(path, cpings());
    const child = spawn(process.execPath, [cli, 'frames', path, '--ajp-port', '8009'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const peakKb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    // Nothing is read until the child has stopped working (its CPU time stays still): with the
    // writes queued in the process (no back-pressure) it would have decoded the whole capture and
    // hold all 34 MB of lines as strings (about 100 MB more than reading the capture needs).
    const cpu = (): number => {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(f[11]) + Number(f[12]);
    };
    let last = -1;
    let still = 0;
    for (let i = 0; i < 300 && still < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const now = cpu();
      still = now - last <= 1 ? still + 1 : 0;
      last = now;
    }
    const peak = peakKb();
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      for (const x of b) if (x === 0x0a) lines++;
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(bytes).toBeGreaterThan(30_000_000);
    // The header, 614,400 CPING lines, the closing lines.
    expect(lines).toBeGreaterThan(614_400);
    expect(peak / 1024, `peak RSS ${Math.round(peak / 1024)} MB`).toBeLessThan(130);
  }, 120_000);
});
