/** capture/pcapng.ts: packets skipped for a missing interface are said once, counted. */
import { describe, expect, it } from 'vitest';
import { CaptureFormatError, PcapngFramer, type CaptureInfo, type CaptureWarning, type Packet } from '../../src/capture/index.js';
import { pcapng, tcpPacket } from '../helpers/capture-builder.js';

const good = (n: number) =>
  Array.from({ length: n }, (_, i) => tcpPacket({ src: '10.0.0.1:40000', dst: '10.0.0.2:8009', seq: 1 + i, flags: 'PA', payload: `p${i}`, ts: 1_700_000_000 + i }));

/** The section (SHB + one IDB) of `pcapng()` and its packet blocks, apart. */
function parts(n: number): { head: Buffer; blocks: Buffer[] } {
  const head = pcapng([], { interfaces: [{ linkType: 1 }] });
  const blocks = good(n).map((p) => pcapng([p]).subarray(head.length));
  return { head, blocks };
}

const EPB = parts(1).blocks[0];
/** An EPB naming interface `ifId`. */
function epbOn(ifId: number): Buffer {
  const b = Buffer.from(EPB);
  b.writeUInt32LE(ifId, 8);
  return b;
}

function frame(chunks: Buffer[]): { packets: Packet[]; warnings: CaptureWarning[]; error?: unknown } {
  const info = { linkTypes: [] } as unknown as CaptureInfo;
  const warnings: CaptureWarning[] = [];
  const packets: Packet[] = [];
  const f = new PcapngFramer(info, warnings, (p) => packets.push({ ...p, data: Buffer.from(p.data) }));
  try {
    for (const c of chunks) f.push(c);
    f.end();
  } catch (error) {
    return { packets, warnings, error };
  }
  return { packets, warnings };
}

describe('pcapng packets naming a missing interface', () => {
  it('one: the warning as it always was', () => {
    const { head, blocks } = parts(1);
    const r = frame([Buffer.concat([head, epbOn(3), blocks[0]])]);
    expect(r.packets.map((p) => p.frame)).toEqual([1]);
    expect(r.warnings).toEqual([{ code: 'bad-block', message: `pcapng: packet at offset ${head.length} names interface 3, but the section has 1: skipped`, offset: head.length }]);
  });

  it('many: one warning, the first packet said and the others counted with the interfaces they named', () => {
    const { head, blocks } = parts(2);
    const bad = Array.from({ length: 5000 }, (_, i) => epbOn(7 + ((i + 500) % 1000)));
    // (in chunks of a few blocks, as a read hands them over)
    const all = Buffer.concat([head, blocks[0], ...bad, blocks[1]]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < all.length; at += 4096) chunks.push(all.subarray(at, at + 4096));
    const r = frame(chunks);
    expect(r.packets.map((p) => p.frame)).toEqual([1, 2]);
    const at = head.length + blocks[0].length;
    expect(r.warnings).toEqual([
      { code: 'bad-block', message: `pcapng: packet at offset ${at} names interface 507, but the section has 1: skipped, as were 4999 more packets naming an interface their section lacks (interfaces 7 to 1006)`, offset: at },
    ]);
  });

  it('the count is right where reading stops (a corrupt block after them)', () => {
    const { head } = parts(0);
    const broken = Buffer.alloc(12);
    broken.writeUInt32LE(6, 0);
    broken.writeUInt32LE(13, 4); // not a multiple of 4
    const r = frame([Buffer.concat([head, epbOn(2), epbOn(2)]), broken]);
    expect(r.error).toBeInstanceOf(CaptureFormatError);
    expect(r.warnings.map((w) => w.message)).toEqual([`pcapng: packet at offset ${head.length} names interface 2, but the section has 1: skipped, as was 1 more packet naming an interface their section lacks (interface 2)`]);
  });

  it('simple packets before any interface: one warning, counted', () => {
    const { head, blocks } = parts(0);
    const shb = head.subarray(0, head.readUInt32LE(4));
    const spb = pcapng(good(1), { block: 'spb' }).subarray(head.length);
    const r = frame([Buffer.concat([shb, spb, spb, spb])]);
    expect(blocks).toEqual([]);
    expect(r.packets).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([`pcapng: simple packet at offset ${shb.length} before any interface: skipped, as were 2 more simple packets before an interface`]);
  });
});
