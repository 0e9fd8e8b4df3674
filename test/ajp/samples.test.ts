/**
 * Golden tests on every real capture in samples/ that has tshark's AJP13 view beside it: per-type
 * frame counts and the fields of every FORWARD_REQUEST and SEND_HEADERS equal tshark's wherever
 * tshark is right. Where tshark is wrong (decoders-study.md §1.3) the test says which defect.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AjpMessage } from '../../src/ajp/index.js';
import { AjpAnalyzer } from '../../src/timeline/index.js';
import type { AjpResult } from '../../src/timeline/index.js';
import { runCapture } from '../mcmp/run-capture.js';
import { asTshark, tsharkFields, tsharkType, type TsharkFrame } from './tshark-oracle.js';

const SAMPLES = new URL('../../samples/', import.meta.url).pathname;

interface Case {
  name: string;
  capture: string;
  view: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of readdirSync(SAMPLES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const d = join(SAMPLES, dir.name);
    for (const f of readdirSync(d)) {
      const m = /^(.*)\.ajp13\.json$/.exec(f);
      if (!m) continue;
      for (const ext of ['.pcap', '.pcapng']) {
        const cap = join(d, m[1]! + ext);
        if (existsSync(cap)) out.push({ name: `${dir.name}/${m[1]}${ext}`, capture: cap, view: join(d, f) });
      }
    }
  }
  return out;
}

async function decode(c: Case, port: number): Promise<{ msgs: { m: AjpMessage; stream: number }[]; result: AjpResult }> {
  const msgs: { m: AjpMessage; stream: number }[] = [];
  const a = new AjpAnalyzer({ ajpPorts: [port], showSecrets: true, onMessage: (m, stream) => msgs.push({ m, stream }) });
  await runCapture(c.capture, a);
  return { msgs, result: a.result() };
}

const all = cases();

/** Our messages grouped by the frame their last byte arrived in: where tshark reports a PDU. */
function messagesByFrame(msgs: readonly { m: AjpMessage }[]): Map<number, AjpMessage[]> {
  const byFrame = new Map<number, AjpMessage[]>();
  for (const { m } of msgs) {
    const f = m.frames[m.frames.length - 1]!;
    const list = byFrame.get(f);
    if (list) list.push(m);
    else byFrame.set(f, [m]);
  }
  return byFrame;
}

describe.each(all)('$name against tshark', (c) => {
  const view = JSON.parse(readFileSync(c.view, 'utf8')) as TsharkFrame[];
  const port = view.find((f) => f.pdus.some((p) => p['ajp13.magic'] === '12:34'))?.dst_port ?? 8009;

  it('has the same AJP messages, per frame and type, as tshark (or tshark is wrong in a named way)', async () => {
    const { msgs, result } = await decode(c, port);
    const ours = messagesByFrame(msgs);
    const theirs = new Map<number, string[]>();
    for (const f of view) theirs.set(f.frame, f.pdus.map(tsharkType));
    // tshark 4.0.17 never completes a PDU of 64 KiB (Tomcat packetSize=65536) and the direction stalls
    // after it: once it missed one, later differences on that stream direction are that defect.
    const stalled = new Set<string>();
    const unexplained: string[] = [];
    const explained: Record<string, number> = {};
    const frames = [...new Set([...ours.keys(), ...theirs.keys()])].sort((x, y) => x - y);
    for (const f of frames) {
      const mine = ours.get(f) ?? [];
      const a = mine.map((m) => m.type).join(',');
      const b = (theirs.get(f) ?? []).join(',');
      if (a === b) continue;
      const streamOf = (m: AjpMessage) => msgs.find((x) => x.m === m)!.stream;
      let why: string | null = null;
      if (b === '' && mine.every((m) => m.type === 'MALFORMED' && m.reason.startsWith('bad magic'))) {
        why = 'no magic check: tshark takes two arbitrary bytes as a length and swallows the packet (§1.1)';
      } else if (b === '' && mine.every((m) => m.type === 'MALFORMED' && m.truncated === true)) {
        why = 'a packet cut short by the end of the connection: tshark shows nothing, we show it cut short';
      } else if (mine.length > 0 && mine.every((m) => stalled.has(`${streamOf(m)}/${m.side}`) || m.length >= 0xff00)) {
        why = 'tshark never completes a 64 KiB PDU and the direction stalls after it';
      }
      for (const m of mine) if (m.length >= 0xff00 && b === '') stalled.add(`${streamOf(m)}/${m.side}`);
      if (why === null) unexplained.push(`frame ${f}: ours ${a || '-'} tshark ${b || '-'}`);
      else explained[why] = (explained[why] ?? 0) + 1;
    }
    expect(unexplained).toEqual([]);
    // Totals by type name agree too where tshark is right everywhere.
    if (Object.keys(explained).length === 0) {
      const t: Record<string, number> = {};
      for (const f of view) for (const p of f.pdus) t[tsharkType(p)] = (t[tsharkType(p)] ?? 0) + 1;
      for (const [k, n] of Object.entries(t)) expect(result.frames[k as keyof typeof result.frames], k).toBe(n);
    }
  });

  it('decodes every FORWARD_REQUEST and SEND_HEADERS to tshark\'s fields', async () => {
    const { msgs } = await decode(c, port);
    const byFrame = messagesByFrame(msgs);
    let compared = 0;
    for (const f of view) {
      const mine = byFrame.get(f.frame) ?? [];
      f.pdus.forEach((p, i) => {
        const type = tsharkType(p);
        if (type !== 'FORWARD_REQUEST' && type !== 'SEND_HEADERS') return;
        const m = mine[i];
        expect(m?.type, `frame ${f.frame} pdu ${i}`).toBe(type);
        expect(asTshark(m!), `frame ${f.frame} pdu ${i}`).toEqual(tsharkFields(p));
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('agrees on every PDU length, GET_BODY_CHUNK size and END_RESPONSE reuse flag tshark shows', async () => {
    const { msgs } = await decode(c, port);
    const byFrame = messagesByFrame(msgs);
    let compared = 0;
    for (const f of view) {
      const mine = byFrame.get(f.frame) ?? [];
      f.pdus.forEach((p, i) => {
        const m = mine[i];
        if (m === undefined || m.type !== tsharkType(p)) return; // per-frame test names these
        expect(String(m.length), `frame ${f.frame} pdu ${i} length`).toBe(p['ajp13.len']);
        if (m.type === 'GET_BODY_CHUNK') expect(String(m.requestedLength)).toBe(p['ajp13.rlen']);
        if (m.type === 'END_RESPONSE') expect(String(m.reuse)).toBe(p['ajp13.reusep']);
        if (m.type === 'FORWARD_REQUEST') expect(String(m.methodCode)).toBe(p['ajp13.method']);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(0);
  });
});
