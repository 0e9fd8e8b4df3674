import { describe, expect, it } from 'vitest';
import { ipv6Bytes, pcap, pcapHeader, pcapng, tcpFlags, tcpPacket } from './capture-builder.js';

describe('capture builder', () => {
  it('writes the four pcap magics', () => {
    expect(pcapHeader().toString('hex', 0, 4)).toBe('d4c3b2a1');
    expect(pcapHeader({ bigEndian: true }).toString('hex', 0, 4)).toBe('a1b2c3d4');
    expect(pcapHeader({ nanos: true }).toString('hex', 0, 4)).toBe('4d3cb2a1');
    expect(pcapHeader({ nanos: true, bigEndian: true }).toString('hex', 0, 4)).toBe('a1b23c4d');
  });

  it('writes pcap records with captured and original lengths', () => {
    const p = tcpPacket({ src: '1.2.3.4:5', dst: '6.7.8.9:10', payload: Buffer.alloc(100), snaplen: 64 });
    const b = pcap([p]);
    expect(b.length).toBe(24 + 16 + 64);
    expect(b.readUInt32LE(24 + 8)).toBe(64);
    expect(b.readUInt32LE(24 + 12)).toBe(154);
  });

  it('writes pcapng sections whose block lengths chain to the end', () => {
    for (const bigEndian of [false, true]) {
      const b = pcapng([tcpPacket({ src: '1.2.3.4:5', dst: '6.7.8.9:10', payload: 'abc' })], { bigEndian, interfaces: [{ linkType: 1, tsresol: 9, tsoffset: 5 }] });
      expect(b.toString('hex', 8, 12)).toBe(bigEndian ? '1a2b3c4d' : '4d3c2b1a');
      let off = 0;
      const types: number[] = [];
      while (off < b.length) {
        const len = bigEndian ? b.readUInt32BE(off + 4) : b.readUInt32LE(off + 4);
        expect(len % 4).toBe(0);
        expect(bigEndian ? b.readUInt32BE(off + len - 4) : b.readUInt32LE(off + len - 4)).toBe(len);
        types.push(bigEndian ? b.readUInt32BE(off) : b.readUInt32LE(off));
        off += len;
      }
      expect(off).toBe(b.length);
      expect(types).toEqual([0x0a0d0d0a, 1, 6]);
    }
  });

  it('parses flags and IPv6 text', () => {
    expect(tcpFlags('SA')).toBe(0x12);
    expect(tcpFlags('FPAU')).toBe(0x39);
    expect(() => tcpFlags('X')).toThrow();
    expect(ipv6Bytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipv6Bytes('2001:db8::').toString('hex')).toBe('20010db8000000000000000000000000');
  });
});
