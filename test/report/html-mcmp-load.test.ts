/**
 * The HTML page's MCMP load chart draws every load point the cluster view kept: a node's first
 * LOAD_HEAD and last LOAD_TAIL (src/mcmp/cluster.ts), the points between drawn as a gap (shaded,
 * the line broken) instead of the first 500 alone with the last step drawn across the rest of the
 * capture.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { LOAD_HEAD, LOAD_TAIL } from '../../src/mcmp/index.js';
import { stepChart } from '../../src/report/figures/index.js';
import { pcap, tcpPacket, type BuiltPacket } from '../helpers/capture-builder.js';
import { useTempDirs } from '../helpers/cli.js';
import { chunked200, javaRequest } from '../mcmp/conversation.js';

const tempDir = useTempDirs('ajp-inspect-html-mcmp-');

afterEach(() => vi.restoreAllMocks());

/** One kept-alive MCMP connection of the Java listener: CONFIG, then `statuses` STATUS 10 ms apart, each answered. */
function statusCapture(statuses: number): Buffer {
  const cli = '10.0.0.7:40001';
  const srv = '10.0.0.5:6666';
  const pkts: BuiltPacket[] = [];
  let cs = 1000;
  let ss = 5000;
  pkts.push(tcpPacket({ src: cli, dst: srv, seq: cs++, flags: 'S', ts: 0 }));
  pkts.push(tcpPacket({ src: srv, dst: cli, seq: ss++, ack: cs, flags: 'SA', ts: 0.0001 }));
  pkts.push(tcpPacket({ src: cli, dst: srv, seq: cs, ack: ss, flags: 'A', ts: 0.0002 }));
  const exchange = (req: string, rsp: string, ts: number): void => {
    pkts.push(tcpPacket({ src: cli, dst: srv, seq: cs, ack: ss, flags: 'PA', payload: req, ts }));
    cs += Buffer.byteLength(req, 'latin1');
    pkts.push(tcpPacket({ src: srv, dst: cli, seq: ss, ack: cs, flags: 'PA', payload: rsp, ts: ts + 0.001 }));
    ss += Buffer.byteLength(rsp, 'latin1');
  };
  exchange(javaRequest('CONFIG', '/', 'JVMRoute=node1&Host=10.0.0.7&Port=8009&Type=ajp'), chunked200(''), 1);
  for (let i = 0; i < statuses; i++) {
    exchange(javaRequest('STATUS', '/', `JVMRoute=node1&Load=${(i * 7) % 101}`), chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n'), 2 + i / 100);
  }
  return pcap(pkts);
}

async function html(args: string[]): Promise<string> {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = join(tempDir(), 'report.html');
  await main([...args, '-T', 'html', '-q', '-o', out]);
  vi.restoreAllMocks();
  return readFileSync(out, 'utf8');
}

describe('the MCMP load chart of the HTML page', () => {
  it("draws a node's first and last load points with the dropped ones between as a gap", async () => {
    const n = LOAD_HEAD + LOAD_TAIL + 200;
    const file = join(tempDir(), 'status.pcap');
    writeFileSync(file, statusCapture(n));
    const page = await html([file]);
    const start = page.indexOf('<figure id="chart-mcmp-0"');
    expect(start).toBeGreaterThan(0);
    const fig = page.slice(start, page.indexOf('</figure>', start));
    const hovers = [...fig.matchAll(/<title>(node1: load [^<]*)<\/title>/g)].map((m) => m[1]!);
    // STATUS i is sent at 2 + i / 100 s, the capture's first packet at 0: the last of the head
    // (i = 499) at 6.99 s, the first of the tail (i = 700) at 9 s, the last (i = 1199) at 13.99 s
    expect(hovers).toHaveLength(LOAD_HEAD + LOAD_TAIL);
    expect(hovers[LOAD_HEAD - 1]).toContain('at +6.99 s');
    expect(hovers[LOAD_HEAD]).toContain('at +9 s');
    expect(hovers[hovers.length - 1]).toContain('at +13.99 s');
    // the gap: shaded, named, and the step line broken there (a second move-to), not drawn across it
    expect(fig).toMatch(/<title>node1: 200 load point\(s\) between \+6\.99 s and \+9 s not kept<\/title><\/rect>/);
    const d = /<path d="([^"]*)" fill="none" stroke="#1f5fa8"/.exec(fig)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(fig).toContain(`only the first ${LOAD_HEAD} and the last ${LOAD_TAIL} load points were kept`);
  });
});

describe('stepChart', () => {
  const pts = [0, 1, 2, 10, 11].map((t) => ({ t, v: t * 5, hover: `p${t}` }));
  it('without a gap: one path, each step to the next point', () => {
    const svg = stepChart('c', 'C', [{ name: 'a', color: '#000', points: pts }], 12, -1, 100, 'load', []);
    expect(/<path d="([^"]*)" fill="none"/.exec(svg)![1]!.match(/M/g)).toHaveLength(1);
    expect(svg).not.toContain('fill-opacity');
  });
  it('with a gap: the step before it ends at its point, the line starts again after it, the time between shaded', () => {
    const svg = stepChart('c', 'C', [{ name: 'a', color: '#000', points: pts, gap: { at: 3, label: 'gap here' } }], 12, -1, 100, 'load', []);
    const d = /<path d="([^"]*)" fill="none"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    // no horizontal step out of the last point before the gap: its L is followed straight by the M
    expect(d).toMatch(/L[\d.]+,[\d.]+M/);
    expect(svg).toContain('<title>gap here</title></rect>');
  });
});
