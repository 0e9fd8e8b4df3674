/**
 * inspectCapture (capture → net → tcp → sinks) and the report built from it.
 */
import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../src/capture/index.js';
import { inspectCapture } from '../../src/inspect/index.js';
import { anomalies, buildReport, captureInput, captureSection, renderCaptureText } from '../../src/report/index.js';
import type { StreamInfo, StreamSummary, TcpSink } from '../../src/tcp/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p: string) => join(root, p);

describe('inspectCapture', () => {
  it('feeds every sink in order and returns the run figures', async () => {
    const order: string[] = [];
    const mk = (name: string): TcpSink => ({
      onStreamStart: (i: StreamInfo) => order.push(`${name}:start:${i.id}`),
      onStreamEnd: (s: StreamSummary) => void order.push(`${name}:end:${s.info.id}`),
    });
    const progress: number[] = [];
    const run = await inspectCapture(at('samples/mcmp/capture.pcap'), {
      sinks: [mk('a'), mk('b')],
      onProgress: (_b, _s, packets) => progress.push(packets),
      progressEvery: 100,
    });
    // tshark: 872 frames, 49 TCP streams (test/golden/samples__mcmp__capture.pcap.tshark.json)
    expect(run.packets).toBe(872);
    expect(run.tcpStreams).toBe(49);
    expect(run.streams.map((s) => s.info.id)).toEqual([...Array(49).keys()]);
    expect(order.slice(0, 2)).toEqual(['a:start:0', 'b:start:0']);
    expect(order.filter((o) => o.startsWith('b:end')).length).toBe(49);
    expect(progress.length).toBe(8);
    expect(run.info.format).toBe('pcap');
    expect(run.firstTs).toBeLessThan(run.lastTs ?? 0);
  });

  it('reads a stream given as stdin', async () => {
    const run = await inspectCapture('-', { stdin: createReadStream(at('test/fixtures/captures/any-sll2.pcap.gz')) });
    expect(run.info.gzip).toBe(true);
    expect(run.info.linkTypes).toEqual([276]);
    expect(run.packets).toBe(48);
    expect(run.tcpStreams).toBe(4);
  });

  it('caps the stream list but not the count', async () => {
    const run = await inspectCapture(at('samples/mcmp/capture.pcap'), { maxStreams: 5 });
    expect(run.tcpStreams).toBe(49);
    expect(run.streams).toHaveLength(5);
    expect(run.streamsTruncated).toBe(true);
  });

  it('rejects a file that is not a capture with CaptureFormatError', async () => {
    await expect(inspectCapture(at('package.json'))).rejects.toBeInstanceOf(CaptureFormatError);
  });
});

describe('report from a run', () => {
  it('builds the JSON core and a text table that say the same', async () => {
    const path = 'test/tcp/captures/retransmission.pcap';
    const run = await inspectCapture(at(path));
    const capture = captureSection(run, path);
    const report = buildReport({ inputs: [captureInput(run, path)], capture });
    expect(report).toMatchObject({ schema: 'ajp-inspect/report', schemaVersion: 1, tool: { name: 'ajp-inspect' } });
    expect(report.inputs).toEqual([{ path, kind: 'capture', format: 'pcap' }]);
    expect(report.warnings).toBeUndefined();
    const s = capture.streams[0];
    expect(s).toMatchObject({ id: 0, client: '10.1.1.1:40000', server: '10.1.1.2:8009', end: 'open', midStream: false });
    expect(s.payloadBytes).toEqual({ c2s: 14, s2c: 16 });
    expect(s.deliveredBytes).toEqual({ c2s: 7, s2c: 8 });
    expect(anomalies(s)).toBe('retrans 2');
    const text = renderCaptureText(capture, [], { color: false });
    expect(text).toMatch(/│ 0\s+│ 10\.1\.1\.1:40000\s+│ 10\.1\.1\.2:8009\s+│ 5\s+│ 14\s+│ 3\s+│ 16\s+│ 0\.000\s+│ 0\.40\d\s+│ open\s+│ retrans 2\s+│/);
    expect(text).not.toContain('\x1b[');
    expect(renderCaptureText(capture, [], { color: true })).toContain('\x1b[33mretrans 2\x1b[39m');
  });

  it('marks streams whose roles come from ports, and a mid-stream start', async () => {
    const run = await inspectCapture(at('test/tcp/captures/mid-stream.pcap'));
    const c = captureSection(run, 'x');
    expect(c.streams[0]).toMatchObject({ roleFrom: 'port', client: '10.1.1.1:40000', midStream: true });
    expect(anomalies(c.streams[0])).toBe('mid-stream');
    expect(renderCaptureText(c, [], { color: false })).toContain('10.1.1.1:40000*');
  });
});
