/**
 * A connection to an AJP port that shows nothing but SYNs gets no Conn until something else comes
 * (src/timeline/analyzer.ts `quiet`: a scan or SYN flood opens millions). It is numbered when it
 * began, as before, so which connections are listed does not change, and its SYNs are replayed.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analyze/index.js';
import { pcap, tcpPacket } from '../helpers/capture-builder.js';

const S = '10.0.0.2:8009';
const cping = Buffer.from('123400010a', 'hex');
const cpong = Buffer.from('4142000109', 'hex');

/** A pooled connection's handshake and one CPing / CPong. */
function served(c: string, t: number) {
  return [
    tcpPacket({ src: c, dst: S, seq: 1000, flags: 'S', ts: t }),
    tcpPacket({ src: S, dst: c, seq: 5000, ack: 1001, flags: 'SA', ts: t + 0.001 }),
    tcpPacket({ src: c, dst: S, seq: 1001, ack: 5001, flags: 'A', ts: t + 0.002 }),
    tcpPacket({ src: c, dst: S, seq: 1001, ack: 5001, flags: 'PA', payload: cping, ts: t + 0.003 }),
    tcpPacket({ src: S, dst: c, seq: 5001, ack: 1006, flags: 'PA', payload: cpong, ts: t + 0.004 }),
  ];
}

describe('quiet connections (SYNs only)', () => {
  it('keep their number from when they began, and their SYN frames, with a Conn made only at the end', async () => {
    const packets = [
      tcpPacket({ src: '10.0.0.1:40000', dst: S, seq: 7, flags: 'S', ts: 1 }),
      ...served('10.0.0.1:40001', 1.5),
      tcpPacket({ src: '10.0.0.1:40000', dst: S, seq: 7, flags: 'S', ts: 2 }),
      ...served('10.0.0.1:40002', 2.5),
      // a third quiet one, after the listed two: counted, not listed
      tcpPacket({ src: '10.0.0.1:40003', dst: S, seq: 9, flags: 'S', ts: 3 }),
    ];
    const file = join(tmpdir(), `ajpi-quiet-${process.pid}.pcap`);
    writeFileSync(file, pcap(packets));
    const a = await analyzeCapture(file, { ajp: { connectionLimit: 2 } });
    const ajp = a.sections.ajp!;
    expect(ajp.connections).toBe(4);
    // The SYN-only connection began first: it is one of the two listed, with both SYNs (frames 1 and 7).
    expect(ajp.connectionList.map((c) => c.stream)).toEqual([0, 1]);
    expect(ajp.connectionList[0]!.facts).toMatchObject({ syn: true, synAck: false, synFrames: [1, 7] });
    expect(ajp.connectionList[1]!.cpongs).toBe(1);
    // Both quiet connections are said as unanswered SYNs.
    expect(a.evidence.filter((e) => e.kind === 'syn-unanswered').map((e) => [e.stream, e.frames])).toEqual([
      [0, [1, 7]],
      [3, [13]],
    ]);
  });
});
