/**
 * `frames` and `timeline` show times that line up with Wireshark and the logs (issue 10): tshark's
 * `-t` formats, `r` (default) relative to the capture's first packet. Before issue 10 the clock
 * started at the first AJP message (frames) or at each connection's start (timeline).
 *
 * The run bodies are called in-process (the option itself is declared with the CLI's options);
 * tshark's own numbers come from the committed `tshark -z conv,tcp` output (Relative Start of each
 * conversation = frame.time_relative of its first frame) and from samples/mcmp/expected.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { framesCommand } from '../../src/cli/commands/frames.js';
import { timelineCommand } from '../../src/cli/commands/timeline.js';
import { formatTime } from '../../src/util/clock.js';
import { root } from '../helpers/cli.js';
import { runCommand } from '../../src/cli/main.js';
import type { CliCommand } from '../../src/cli/command.js';

async function run(cmd: CliCommand, argv: Record<string, unknown>): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await runCommand(cmd, { format: 'text', ...argv });
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('tshark -t formats', () => {
  it('formats one time in each (µs precision; u/ud in UTC; e as frame.time_epoch)', () => {
    const ts = 1795256152.540806; // samples/mcmp first_packet_time (expected.json)
    expect(formatTime(ts + 1.5, 'r', ts)).toBe('1.500000');
    expect(formatTime(ts, 'e', 0)).toBe('1795256152.540806');
    expect(formatTime(ts, 'u', 0)).toBe('10:15:52.540806');
    expect(formatTime(ts, 'ud', 0)).toBe('2026-11-21 10:15:52.540806');
    expect(formatTime(ts, 'a', 0)).toMatch(/^\d\d:\d\d:52\.540806$/);
    expect(formatTime(ts, 'ad', 0)).toMatch(/^2026-11-2\d \d\d:\d\d:52\.540806$/);
    expect(formatTime(0.9999996, 'e', 0)).toBe('1.000000');
  });
});

describe('timeline: event times relative to the capture\'s first packet, as tshark', () => {
  it('each AJP connection\'s SYN is at tshark\'s Relative Start of that conversation (samples/baseline)', async () => {
    const conv = readFileSync(join(root, 'samples/baseline/capture.conv-tcp.txt'), 'utf8');
    const starts = new Map<string, string>();
    for (const m of conv.matchAll(/^(\S+)\s+<->\s+127\.0\.0\.1:18009\s.*\s(\d+\.\d{6})000\s+[\d.]+$/gm)) starts.set(m[1]!, m[2]!);
    expect(starts.size).toBe(4);
    const out = await run(timelineCommand, { capture: 'samples/baseline/capture.pcap', 'ajp-port': [18009] });
    for (const block of out.split(/^(?=AJP connection)/m).filter((b) => b.startsWith('AJP connection'))) {
      const client = /web server (\S+) →/.exec(block)![1]!;
      const syn = /^\s+(\d+\.\d{6})\s+#\d+\s+tcp SYN from the web server$/m.exec(block);
      expect(syn?.[1], client).toBe(starts.get(client));
    }
  });
});

describe('frames -t', () => {
  it('r (default): frame 9 at 0.000825 s from the first packet, not 0 (the first AJP message)', async () => {
    const out = await run(framesCommand, { capture: 'samples/baseline/capture.pcap', 'ajp-port': [18009] });
    expect(out.split('\n')[1]).toMatch(/^9\s+0\.000825\s+s1\s+ws→c\s+CPING$/);
  });
  it('e and u: the capture\'s own clock (samples/mcmp: first packet 1795256152.540806, expected.json)', async () => {
    const rel = await run(framesCommand, { capture: 'samples/mcmp/capture.pcap', 'ajp-port': [18009, 18010] });
    const epoch = await run(framesCommand, { capture: 'samples/mcmp/capture.pcap', 'ajp-port': [18009, 18010], 'time-format': 'e' });
    const utc = await run(framesCommand, { capture: 'samples/mcmp/capture.pcap', 'ajp-port': [18009, 18010], 't': 'ud' });
    const first = (s: string) => s.split('\n')[1]!.trim().split(/\s{2,}/);
    const [frameR, r] = first(rel);
    const [frameE, e] = first(epoch);
    const [frameU, u] = first(utc);
    expect(frameE).toBe(frameR);
    expect(frameU).toBe(frameR);
    expect(Number(e) - 1795256152.540806).toBeCloseTo(Number(r), 6);
    expect(u).toBe(formatTime(Number(e), 'ud', 0));
    expect(u).toMatch(/^2026-11-21 10:15:5\d\.\d{6}$/);
  });
  it('refuses a format tshark does not have', async () => {
    await expect(run(framesCommand, { capture: 'samples/baseline/capture.pcap', 'time-format': 'x' })).rejects.toThrow("-t/--time-format: 'x' is not one of r, a, ad, u, ud, e");
  });
});

describe('timeline: --idle is the idle period of the stories too (issue 10: they used a hidden 1 s)', () => {
  it('baseline connection 1 (gaps of a few seconds): idle lines with --idle 1, none with the default 30 s', async () => {
    const argv = { capture: 'samples/baseline/capture.pcap', 'ajp-port': [18009], conn: 1 };
    expect(await run(timelineCommand, { ...argv, idle: 1 })).toMatch(/···\s+idle \d+\.\d{3} s/);
    expect(await run(timelineCommand, argv)).not.toMatch(/···\s+idle /);
  });
  it('firewall-idle-drop: the long silences are idle periods with the default', async () => {
    const out = await run(timelineCommand, { capture: 'samples/firewall-idle-drop/capture.pcap', 'ajp-port': [18009] });
    const idles = [...out.matchAll(/···\s+idle (\d+\.\d{3}) s/g)].map((m) => Number(m[1]));
    expect(idles.length).toBeGreaterThan(0);
    for (const s of idles) expect(s).toBeGreaterThanOrEqual(30);
  });
});
