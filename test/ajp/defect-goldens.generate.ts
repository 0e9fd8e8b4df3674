/**
 * Writes test/fixtures/ajp/<case>.pcap and tshark's view of it (<case>.tshark.json). A generator,
 * not a test: `npm test` does not pick it up. Run it (needs tshark) with
 *   npx vitest run -c vitest.generate.config.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { DEFECTS } from './defect-captures.js';

const DIR = new URL('../fixtures/ajp/', import.meta.url).pathname;

it('writes the defect captures and tshark views', () => {
  const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  for (const d of DEFECTS) {
    const file = `${DIR}${d.name}.pcap`;
    writeFileSync(file, d.build());
    const json = execFileSync(
      'tshark',
      ['-r', file, '-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-d', 'tcp.port==8009,ajp13', '-Y', 'ajp13', '-T', 'json', '--no-duplicate-keys'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    // The Info column and the malformed flag name the defect where the JSON fields cannot
    // ("Unknown method 22", "[Malformed Packet]"); never used as data to compare fields with.
    const info = new Map<number, { info: string; malformed: boolean }>();
    const fields = execFileSync(
      'tshark',
      ['-r', file, '-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-d', 'tcp.port==8009,ajp13', '-Y', 'ajp13', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info', '-e', '_ws.malformed'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    for (const line of fields.split('\n').filter(Boolean)) {
      const [n, i, m] = line.split('\t');
      info.set(Number(n), { info: i ?? '', malformed: (m ?? '') !== '' });
    }
    const frames = (JSON.parse(json) as { _source: { layers: Record<string, unknown> } }[]).map((p) => {
      const l = p._source.layers;
      const frame = Number((l.frame as Record<string, string>)['frame.number']);
      const raw = l.ajp13;
      const pdus = (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[];
      return {
        frame,
        ...info.get(frame),
        pdus: pdus.map((pdu) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(pdu)) if (k.startsWith('ajp13.') && k !== 'ajp13.data') o[k] = v;
          return o;
        }),
      };
    });
    writeFileSync(`${DIR}${d.name}.tshark.json`, JSON.stringify({ tshark: version, defect: d.defect, frames }, null, 1) + '\n');
  }
});
