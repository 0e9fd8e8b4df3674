/**
 * capture.ajp.evidence lists at most 1000 items of each kind (src/analyze/verticals/ajp.ts
 * EVIDENCE_LISTED_PER_KIND), the rest counted in evidenceDropped; the rules read every item, so the
 * finding's count is the whole capture's. (Issue 15: a SYN flood made one evidence item per connection
 * and a JSON report as large as the capture.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcap, tcpPacket } from '../helpers/capture-builder.js';
import { runCli, useTempDirs } from '../helpers/cli.js';
import { formatErrors, validate, type Schema } from '../helpers/json-schema.js';
import { MAX_QUIET_ITEMS } from '../../src/detect/index.js';
import { analyzeCapture } from '../../src/analyze/index.js';

const tempDir = useTempDirs('ajpi-evidence-listed-');
const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as Schema;

/** The capture written from `packets`, and its JSON report: written without a word on stderr, schema-valid. */
function jsonReport(name: string, packets: Parameters<typeof pcap>[0]) {
  const file = join(tempDir(), name);
  writeFileSync(file, pcap(packets));
  const out = join(tempDir(), 'report.json');
  const r = runCli([file, '-T', 'json', '-o', out]);
  expect(r.err).toBe('');
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  expect(formatErrors(validate(schema, rep))).toBe('');
  return { file, rep };
}

describe('capture.ajp.evidence', () => {
  it('a SYN flood of 2500 unanswered connections: 1000 listed, 1500 counted, the finding counts all 2500', () => {
    const N = 2500;
    const packets = [];
    for (let i = 0; i < N; i++) {
      const src = `10.1.${(i >> 8) & 255}.${i & 255}:${20000 + (i % 30000)}`;
      packets.push(tcpPacket({ src, dst: '10.0.0.2:8009', flags: 'S', seq: i * 7, ts: 1000 + i * 0.001 }));
    }
    const { rep } = jsonReport('syn-flood.pcap', packets);
    const kinds = new Map<string, number>();
    for (const e of rep.capture.ajp.evidence as Array<{ kind: string }>) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    expect(Math.max(...kinds.values())).toBe(1000);
    // one syn-unanswered item per connection: 1000 listed, the rest counted
    expect(kinds.get('syn-unanswered')).toBe(1000);
    expect(rep.capture.ajp.evidence.length + rep.capture.ajp.evidenceDropped).toBeGreaterThanOrEqual(N);
    expect(rep.capture.ajp.evidenceDropped).toBeGreaterThanOrEqual(N - 1000);
    const explained = (rep.findings as Array<{ explanation: string }>).map((f) => f.explanation).join('\n');
    expect(explained).toContain(`${N} SYNs`);
  });
});

describe('quiet connections fold past MAX_QUIET_ITEMS (src/detect/index.ts)', () => {
  it('12,000 unanswered SYNs from 20 web servers: 10,000 items and one folded item per source, the finding counts all 12,000', async () => {
    const N = MAX_QUIET_ITEMS + 2000;
    const packets = [];
    for (let i = 0; i < N; i++) packets.push(tcpPacket({ src: `10.1.0.${1 + (i % 20)}:${20000 + (i % 40000)}`, dst: '10.0.0.2:8009', flags: 'S', seq: i * 7, ts: 1000 + i * 0.001 }));
    const { file, rep } = jsonReport('syn-flood-12k.pcap', packets);
    // 10,000 items of their own and 20 that each stand for the 100 further SYNs of one web server
    expect(rep.capture.ajp.evidence.length + rep.capture.ajp.evidenceDropped).toBe(MAX_QUIET_ITEMS + 20);
    const ev = (await analyzeCapture(file)).sections.ajp!.evidence;
    const folded = ev.filter((e) => e.fields?.folded !== undefined);
    expect(folded.map((e) => e.fields?.folded)).toEqual(Array(20).fill(99));
    expect(folded[0]!.detail).toMatch(/and 99 more like it from 10\.1\.0\.\d+, folded into this item/);
    const explained = (rep.findings as Array<{ explanation: string }>).map((f) => f.explanation).join('\n');
    expect(explained).toContain(`${N} SYNs`);
  });
});

describe('refused connects past MAX_QUIET_ITEMS', () => {
  it('12,000 SYNs answered by RST from one web server: the finding counts all 12,000', () => {
    const N = MAX_QUIET_ITEMS + 2000;
    const packets = [];
    for (let i = 0; i < N; i++) {
      const port = 20000 + (i % 40000);
      packets.push(tcpPacket({ src: `10.1.0.1:${port}`, dst: '10.0.0.2:8009', flags: 'S', seq: i * 7, ts: 1000 + i * 0.001 }));
      packets.push(tcpPacket({ src: '10.0.0.2:8009', dst: `10.1.0.1:${port}`, flags: 'RA', seq: 0, ack: i * 7 + 1, ts: 1000 + i * 0.001 + 0.0001 }));
    }
    const { rep } = jsonReport('refused-12k.pcap', packets);
    expect(rep.capture.ajp.evidence.length + rep.capture.ajp.evidenceDropped).toBe(MAX_QUIET_ITEMS + 1);
    const explained = (rep.findings as Array<{ explanation: string }>).map((f) => f.explanation).join('\n');
    expect(explained).toContain(`${N} connection attempts to 10.0.0.2:8009 answered by RST`);
  });
});
