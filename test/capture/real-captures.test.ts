/**
 * Real captures made with tcpdump / dumpcap on loopback (test/fixtures/captures/README.md), read by
 * capture/ + net/ and compared frame by frame with tshark's output committed beside each file.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { decodeFile, expectSameAsTshark, readGolden } from '../net/golden.js';

const dir = fileURLToPath(new URL('../fixtures/captures/', import.meta.url));

const cases: Array<{ file: string; format: string; gzip?: boolean; linkType: number; truncated?: boolean }> = [
  { file: 'lo-ether.pcap', format: 'pcap', linkType: 1 },
  { file: 'lo-nano.pcap', format: 'pcap-ns', linkType: 1 },
  { file: 'any-sll2.pcap', format: 'pcap', linkType: 276 },
  { file: 'any-sll2-nsec.pcap', format: 'pcap-ns', linkType: 276 },
  { file: 'any-sll.pcap', format: 'pcap', linkType: 113 },
  { file: 'any-sll2.pcap.gz', format: 'pcap', gzip: true, linkType: 276 },
  { file: 'lo-ether.pcapng', format: 'pcapng', linkType: 1 },
  { file: 'dumpcap-lo.pcapng', format: 'pcapng', linkType: 1 },
  { file: 'lo-ether.pcapng.gz', format: 'pcapng', gzip: true, linkType: 1 },
  { file: 'lo-ether-truncated.pcap', format: 'pcap', linkType: 1, truncated: true },
  { file: 'lo-ether-truncated.pcapng', format: 'pcapng', linkType: 1, truncated: true },
];

describe('real loopback captures agree with tshark', () => {
  for (const c of cases) {
    it(c.file, async () => {
      const golden = readGolden(`${dir}${c.file}.tshark.tsv`);
      const { rows, counters, warnings } = await decodeFile(`${dir}${c.file}`);
      expect(rows.length).toBe(golden.length);
      expect(rows.length).toBeGreaterThan(40);
      expect(counters.tcp).toBe(golden.filter((g) => g.srcPort !== undefined).length);
      expect(new Set(rows.map((r) => r.linkType))).toEqual(new Set([c.linkType]));
      expectSameAsTshark(rows, golden);
      expect(warnings).toEqual(c.truncated ? ['truncated'] : []);
    });
  }

  it('the direct pcap loop gives the same packets as the pcap-parser adapter', async () => {
    for (const f of ['lo-ether.pcap', 'lo-nano.pcap', 'any-sll2.pcap.gz', 'lo-ether-truncated.pcap']) {
      const a = await decodeFile(`${dir}${f}`, { pcapEngine: 'pcap-parser' });
      const b = await decodeFile(`${dir}${f}`, { pcapEngine: 'direct' });
      expect(b.rows, f).toEqual(a.rows);
      expect(b.warnings, f).toEqual(a.warnings);
    }
  });
});
