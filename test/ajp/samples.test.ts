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

describe.each(all)('$name against tshark', (c) => {
  const view = JSON.parse(readFileSync(c.view, 'utf8')) as TsharkFrame[];
  const port = view.find((f) => f.pdus.some((p) => p['ajp13.magic'] === '12:34'))?.dst_port ?? 8009;

  it('has the same AJP messages, per frame and type, as tshark', async () => {
    const { msgs, result } = await decode(c, port);
    const ours = new Map<number, string[]>();
    for (const { m } of msgs) {
      const f = m.frames[m.frames.length - 1]!;
      ours.set(f, [...(ours.get(f) ?? []), m.type]);
    }
    const theirs = new Map<number, string[]>();
    for (const f of view) theirs.set(f.frame, f.pdus.map(tsharkType));
    const diffs: string[] = [];
    for (const f of new Set([...ours.keys(), ...theirs.keys()])) {
      const a = (ours.get(f) ?? []).join(',');
      const b = (theirs.get(f) ?? []).join(',');
      if (a !== b) diffs.push(`frame ${f}: ours ${a || '-'} tshark ${b || '-'}`);
    }
    expect(diffs).toEqual([]);
    // Totals by type name agree too.
    const t: Record<string, number> = {};
    for (const f of view) for (const p of f.pdus) t[tsharkType(p)] = (t[tsharkType(p)] ?? 0) + 1;
    for (const [k, n] of Object.entries(t)) expect(result.frames[k as keyof typeof result.frames], k).toBe(n);
  });

  it('decodes every FORWARD_REQUEST and SEND_HEADERS to tshark\'s fields', async () => {
    const { msgs } = await decode(c, port);
    const byFrame = new Map<number, AjpMessage[]>();
    for (const { m } of msgs) {
      const f = m.frames[m.frames.length - 1]!;
      byFrame.set(f, [...(byFrame.get(f) ?? []), m]);
    }
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
});
