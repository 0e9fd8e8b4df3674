/**
 * Consistent warnings (issue 15): every capture command says a capture was cut short the same way,
 * and a rule that throws is said in every command (never silently dropped); the log reader caps a
 * line before any pattern sees it.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcap, tcpPacket } from '../helpers/capture-builder.js';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { captureVariants, logVariants, runVariant, type Variant } from '../fuzz/harness.js';
import { rules } from '../../src/rules/index.js';
import { MAX_LINE } from '../../src/logs/reader.js';
import { parseLogText } from '../../src/logs/index.js';

const truncated = join(root, 'test/fixtures/captures/lo-ether-truncated.pcap');

describe('warnings', () => {
  it('a cut capture: the same truncation warning from the default command, frames, timeline and mcmp, text and JSON', async () => {
    const lines = new Set<string>();
    const variants = captureVariants(truncated, {});
    for (const v of variants) {
      const o = await runVariant(v, '', []);
      expect(o.escape).toBeUndefined();
      const w = o.stderr.split('\n').filter((l) => l.includes('capture cut short'));
      expect(w, v.command).toHaveLength(1);
      lines.add(w[0]!);
    }
    expect(lines.size).toBe(1);
  });

  it('bytes lost in a connection: the same line from every capture command', async () => {
    // One AJP connection (CPing, CPong) whose client then sends 12 bytes that are not AJP, a CPing,
    // loses a 200-byte segment (the server ACKs past it) and sends another CPing.
    const c = '10.0.0.1:40000';
    const s = '10.0.0.2:8009';
    const cping = Buffer.from('123400010a', 'hex');
    const cpong = Buffer.from('414200010900', 'hex').subarray(0, 5);
    const junk = Buffer.from('hello world!', 'latin1');
    let seq = 1001;
    const pk = [
      tcpPacket({ src: c, dst: s, seq: 1000, flags: 'S', ts: 1 }),
      tcpPacket({ src: s, dst: c, seq: 5000, ack: 1001, flags: 'SA', ts: 1.001 }),
      tcpPacket({ src: c, dst: s, seq, ack: 5001, flags: 'A', ts: 1.002 }),
      tcpPacket({ src: c, dst: s, seq, ack: 5001, flags: 'PA', payload: cping, ts: 1.01 }),
      tcpPacket({ src: s, dst: c, seq: 5001, ack: (seq += 5), flags: 'PA', payload: cpong, ts: 1.011 }),
      tcpPacket({ src: c, dst: s, seq, ack: 5006, flags: 'PA', payload: Buffer.concat([junk, cping]), ts: 1.02 }),
    ];
    seq += junk.length + 5;
    // 200 bytes never captured, then a CPing the server acknowledges with everything before it.
    seq += 200;
    pk.push(tcpPacket({ src: c, dst: s, seq, ack: 5006, flags: 'PA', payload: cping, ts: 1.03 }));
    pk.push(tcpPacket({ src: s, dst: c, seq: 5006, ack: seq + 5, flags: 'A', ts: 1.031 }));
    const path = join(tmpdir(), `ajpi-loss-${process.pid}.pcap`);
    writeFileSync(path, pcap(pk));
    const lines = new Map<string, Set<string>>();
    for (const v of captureVariants(path, { 'ajp-port': [8009] })) {
      const o = await runVariant(v, '', []);
      expect(o.escape, v.command).toBeUndefined();
      for (const l of o.stderr.split('\n')) {
        const k = /missing from the capture/.test(l) ? 'lost' : /skipped in \d+ AJP connection/.test(l) ? 'skipped' : undefined;
        if (k !== undefined) lines.set(k, (lines.get(k) ?? new Set()).add(`${v.command}: ${l.replace(/^.*?: warning: /, '')}`.replace(/^\S+: /, '')));
      }
      expect(o.stderr, `${v.command} ${JSON.stringify(v.args)}`).toMatch(/200 byte\(s\) missing from the capture in 1 connection\(s\)/);
    }
    // Worded the same by every command.
    expect(lines.get('lost')?.size).toBe(1);
    // The 12 bytes are one bad-magic packet start (listed as a violation), not a resynchronisation.
    expect(lines.get('skipped')).toBeUndefined();
  });

  it('a record length no capture can have: every command reads the frames before it and says where; at record 1 it refuses', async () => {
    // tshark on the same file lists the frames before the record, then "appears to be damaged or corrupt".
    const pk = Array.from({ length: 10 }, (_, i) => tcpPacket({ src: '10.0.0.1:40000', dst: '10.0.0.2:8009', seq: 1 + i * 5, flags: 'PA', payload: Buffer.from('123400010a', 'hex'), ts: 1 + i }));
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(11, 0);
    bad.writeUInt32LE(0x7fffffff, 8);
    bad.writeUInt32LE(0x7fffffff, 12);
    const good = pcap(pk);
    const path = join(tmpdir(), `ajpi-damaged-${process.pid}.pcap`);
    writeFileSync(path, Buffer.concat([good, bad, Buffer.alloc(4096, 0x5a)]));
    const lines = new Set<string>();
    for (const v of captureVariants(path, {})) {
      const o = await runVariant(v, '', []);
      expect(o.escape, v.command).toBeUndefined();
      expect(o.refused, v.command).toBeUndefined();
      const w = o.stderr.split('\n').filter((l) => l.includes('corrupt from there on'));
      expect(w, `${v.command} ${JSON.stringify(v.args)}`).toHaveLength(1);
      expect(w[0]).toMatch(/record 11 at offset \d+ claims 2147483647 captured bytes .*; the 10 frames before it were read$/);
      lines.add(w[0]!);
    }
    expect(lines.size).toBe(1);
    // Damage at the first record: nothing to analyse, a one-line refusal.
    const first = join(tmpdir(), `ajpi-damaged1-${process.pid}.pcap`);
    writeFileSync(first, Buffer.concat([good.subarray(0, 24), bad]));
    for (const v of captureVariants(first, {})) {
      const o = await runVariant(v, '', []);
      expect(o.escape, v.command).toBeUndefined();
      expect(o.refused, v.command).toMatch(/record 1 at offset 24 claims 2147483647 captured bytes/);
    }
  });

  describe('a rule that throws', () => {
    const victim = rules.find((r) => r.id === 'backend-refused-connection') ?? rules[0]!;
    const check = victim.check;
    afterEach(() => {
      victim.check = check;
    });
    it('is said on stderr by every command, capture or logs', async () => {
      victim.check = () => {
        throw new Error('boom');
      };
      const vs: Variant[] = [...captureVariants(join(root, 'samples/backend-down/capture.pcap'), { 'ajp-port': [18009] }), ...logVariants(join(root, 'samples/backend-down/mod_jk.log'))];
      for (const v of vs) {
        const o = await runVariant(v, '', []);
        expect(o.escape, v.command).toBeUndefined();
        expect(o.stderr, `${v.command} ${JSON.stringify(v.args)}`).toContain(`rule ${victim.id} could not run (rule failed: boom)`);
      }
    });
  });

  it('a log line is capped before any pattern sees it', () => {
    const long = `[Sat Nov 21 10:52:24.905 2026] [1:2] [error] jk_ajp_common.c (1): ${'x'.repeat(MAX_LINE * 4)}`;
    const { summary, events } = parseLogText(`${long}\nnext line`, { path: 'x', tz: 'UTC' });
    expect(summary.lines).toBe(2);
    for (const e of events) expect(e.text.length).toBeLessThanOrEqual(MAX_LINE);
  });
});
