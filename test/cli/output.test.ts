/**
 * The user's files are sacred: `-o` never writes onto an input (same file, by any name), checks it
 * can write before the analysis, writes atomically, and `-o -` is stdout.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root, runCli, useTempDirs } from '../helpers/cli.js';

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
