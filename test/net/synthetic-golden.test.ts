/**
 * Builder-made captures for every link type and IP/TCP variant we decode (cases.ts), checked
 * against tshark's decoding of the same committed bytes (test/fixtures/captures/README.md).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syntheticCases } from '../fixtures/captures/synthetic/cases.js';
import { decodeFile, expectSameAsTshark, readGolden } from './golden.js';

const dir = fileURLToPath(new URL('../fixtures/captures/synthetic/', import.meta.url));

describe('synthetic captures agree with tshark', () => {
  for (const c of syntheticCases) {
    it(c.file, async () => {
      // The committed bytes are what tshark decoded: the builder must still produce them.
      expect(c.bytes().equals(readFileSync(dir + c.file))).toBe(true);
      const golden = readGolden(`${dir}${c.file}.tshark.tsv`);
      const { rows, warnings } = await decodeFile(dir + c.file);
      // multi-section.pcapng: frame 1 is a custom block, a record (and a frame number) to Wireshark.
      expectSameAsTshark(rows, golden, c.file === 'multi-section.pcapng' ? [1] : []);
      expect(warnings).toEqual([]);
    });
  }

  it('ether.pcap: counts why packets were skipped', async () => {
    const { counters } = await decodeFile(`${dir}ether.pcap`);
    expect(counters).toEqual({
      packets: 32,
      tcp: 27,
      notIp: 1, // ARP
      notTcp: 1, // UDP
      fragments: 3, // IPv4 first fragment with MF, IPv4 last fragment, IPv6 fragment with M
      unsupportedLink: 0,
      truncated: 0,
      malformed: 0,
    });
  });

  it('multi-section.pcapng: a link type we do not decode is counted, not an error', async () => {
    const { counters, rows } = await decodeFile(`${dir}multi-section.pcapng`);
    expect(counters.unsupportedLink).toBe(1);
    expect(rows.find((r) => r.linkType === 147)?.frame).toBe(34);
  });
});
