/**
 * StreamData.data is a view valid only during onData (tcp/types.ts): the reader reuses its read
 * buffers, so a sink that keeps bytes past the call must copy them. Small captures fit in one read
 * buffer and would never show a sink that forgot; here a last sink overwrites every chunk right
 * after the others have seen it, and the AJP and MCMP analyzers must still give the same results
 * on every committed capture.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspectCapture } from '../../src/inspect/index.js';
import { AjpAnalyzer } from '../../src/timeline/index.js';
import { McmpAnalyzer } from '../../src/mcmp/index.js';
import type { StreamData, TcpSink } from '../../src/tcp/index.js';

const root = join(import.meta.dirname, '..', '..');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng)(\.gz)?$/.test(name)) out.push(p);
  }
  return out;
}

const files = [...captures(join(root, 'samples')), ...captures(join(root, 'test', 'fixtures'))].sort();

async function analyse(file: string, poison: boolean): Promise<string> {
  const ajp = new AjpAnalyzer({ ajpPorts: [8009, 18009], story: true });
  const mcmp = new McmpAnalyzer();
  const sinks: TcpSink[] = [ajp, mcmp];
  let chunks = 0;
  if (poison) {
    sinks.push({
      onData(c: StreamData) {
        chunks++;
        c.data.fill(0xee);
      },
    });
  }
  const run = await inspectCapture(file, { sinks });
  // (A capture of SYNs and RSTs only, such as a port scan, delivers no chunk to poison.)
  return JSON.stringify({ run: { packets: run.packets, streams: run.streams }, ajp: ajp.result(), mcmp: mcmp.finish(), poisoned: poison ? chunks > 0 || run.tcpPackets === 0 || run.streams.every((s) => s.deliveredBytes.c2s + s.deliveredBytes.s2c === 0) : true });
}

describe('sinks copy what they keep of StreamData.data', () => {
  it('finds the committed captures', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s: same AJP and MCMP results when chunks are overwritten after delivery', async (_name, file) => {
    const clean = await analyse(file, false);
    const poisoned = await analyse(file, true);
    expect(poisoned).toBe(clean);
  });
});
