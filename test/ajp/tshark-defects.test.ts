/**
 * One capture per defect of Wireshark's AJP13 dissector (decoders-study.md §1.3), built by
 * test/ajp/defect-captures.ts and saved with tshark 4.0.17's view beside it
 * (test/fixtures/ajp/<case>.tshark.json, `defect-goldens.generate.ts`). Each test shows what tshark
 * got wrong (from its saved view) and that our decode is right.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AjpMessage } from '../../src/ajp/index.js';
import { AjpAnalyzer, type AjpResult } from '../../src/timeline/index.js';
import { runCapture } from '../mcmp/run-capture.js';
import { DEFECTS } from './defect-captures.js';
import { tsharkType } from './tshark-oracle.js';

const DIR = new URL('../fixtures/ajp/', import.meta.url).pathname;

interface View {
  defect: string;
  frames: { frame: number; info: string; malformed: boolean; pdus: Record<string, string>[] }[];
}

async function ours(name: string): Promise<{ byFrame: Map<number, AjpMessage[]>; result: AjpResult }> {
  const byFrame = new Map<number, AjpMessage[]>();
  const a = new AjpAnalyzer({ onMessage: (m) => byFrame.set(m.frames.at(-1)!, [...(byFrame.get(m.frames.at(-1)!) ?? []), m]) });
  await runCapture(`${DIR}${name}.pcap`, a);
  return { byFrame, result: a.result() };
}

function view(name: string): View {
  return JSON.parse(readFileSync(`${DIR}${name}.tshark.json`, 'utf8')) as View;
}

function types(byFrame: Map<number, AjpMessage[]>, frame: number): string[] {
  return (byFrame.get(frame) ?? []).map((m) => m.type);
}

function tshark(v: View, frame: number): string[] {
  return (v.frames.find((f) => f.frame === frame)?.pdus ?? []).map(tsharkType);
}

describe('the defect captures are what the builder makes (so the saved tshark views stay valid)', () => {
  it.each(DEFECTS.map((d) => d.name))('%s', (name) => {
    const d = DEFECTS.find((x) => x.name === name)!;
    expect(d.build().equals(readFileSync(`${DIR}${name}.pcap`))).toBe(true);
  });
});

describe('where tshark 4.0.17 is wrong and we are right', () => {
  it('residual credit after a multi-packet POST: later CPINGs and requests are not body', async () => {
    const v = view('residual-credit');
    const { byFrame, result } = await ours('residual-credit');
    // Frames 13, 15, 17: CPING, FORWARD_REQUEST /app/next, CPING.
    for (const f of [13, 15, 17]) expect(tshark(v, f), `tshark frame ${f}`).toEqual(['DATA']);
    expect(types(byFrame, 13)).toEqual(['CPING']);
    expect(types(byFrame, 15)).toEqual(['FORWARD_REQUEST']);
    expect(types(byFrame, 17)).toEqual(['CPING']);
    expect(result.frames).toMatchObject({ FORWARD_REQUEST: 2, DATA: 3, CPING: 3, CPONG: 3, GET_BODY_CHUNK: 2, MALFORMED: 0 });
    expect(result.violations).toEqual([]);
    expect(result.connectionList[0]!.cycles.map((c) => [c.uri, c.requestBody.bytes])).toEqual([['/app/upload', 20000], ['/app/next', 0]]);
  });

  it('FORWARD_REQUEST and its first body packet in one segment', async () => {
    const v = view('same-segment');
    const { byFrame, result } = await ours('same-segment');
    // The body packet is dissected as a forward request whose code is 0 (the chunk length's high byte)…
    expect(tshark(v, 4)).toEqual(['FORWARD_REQUEST', 'REQ#0']);
    expect(v.frames.find((f) => f.frame === 4)!.info).toMatch(/Malformed/);
    expect(tshark(v, 6)).toEqual(['DATA']); // …and the next request as body
    expect(types(byFrame, 4)).toEqual(['FORWARD_REQUEST', 'DATA']);
    expect(types(byFrame, 6)).toEqual(['FORWARD_REQUEST']);
    expect(result.connectionList[0]!.cycles[0]!.requestBody).toEqual({ bytes: 11, packets: 1 });
    expect(result.violations).toEqual([]);
  });

  it('a string-named Content-Length still means a body packet follows', async () => {
    const v = view('string-content-length');
    const { byFrame } = await ours('string-content-length');
    expect(tshark(v, 5)).toEqual(['REQ#0']); // the body packet dissected as a request with code 0
    expect(v.frames.find((f) => f.frame === 5)!.malformed).toBe(true);
    expect(types(byFrame, 5)).toEqual(['DATA']);
    expect(types(byFrame, 7)).toEqual(['CPING']);
  });

  it('a capture that starts mid-packet: we resynchronise and lose none of the requests that follow', async () => {
    const v = view('mid-stream');
    const { byFrame, result } = await ours('mid-stream');
    // tshark never shows a single web server → container PDU in this capture.
    expect(v.frames.flatMap((f) => f.pdus).filter((p) => p['ajp13.magic'] === '12:34')).toEqual([]);
    expect(types(byFrame, 3)).toEqual(['FORWARD_REQUEST']);
    expect(types(byFrame, 5)).toEqual(['CPING']);
    expect(types(byFrame, 7)).toEqual(['FORWARD_REQUEST']);
    expect(result.connectionList[0]!.cycles.map((c) => c.uri)).toEqual(['/app/second', '/app/third']);
    expect(result.violations.map((x) => x.kind)).toEqual(['resync']);
    expect(result.violations[0]!.frames).toEqual([1]);
    // The response to the request cut by the capture start arrives with no request seen: not an error.
    expect(result.connectionList[0]!.errors).toBe(0);
  });

  it('SHUTDOWN and PING are their own types; methods 22-27 and 0xFF are named', async () => {
    const v = view('codes');
    const { byFrame, result } = await ours('codes');
    expect(v.frames.find((f) => f.frame === 4)!.info).toMatch(/Unknown method 22/);
    expect(v.frames.find((f) => f.frame === 16)!.info).toMatch(/Unknown method 255/);
    expect(v.frames.find((f) => f.frame === 18)!.info).toMatch(/Malformed/);
    expect(v.frames.find((f) => f.frame === 25)!.info).toMatch(/Malformed/);
    const methods = [4, 6, 8, 10, 12, 14, 16].map((f) => {
      const m = byFrame.get(f)![0]!;
      return m.type === 'FORWARD_REQUEST' ? m.method : m.type;
    });
    expect(methods).toEqual(['MKWORKSPACE', 'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY', 'PATCH']);
    expect(types(byFrame, 18)).toEqual(['SHUTDOWN']);
    expect(types(byFrame, 25)).toEqual(['PING']);
    expect(result.frames).toMatchObject({ SHUTDOWN: 1, PING: 1, MALFORMED: 0, UNKNOWN: 0 });
    // Tomcat closes on both without a reply ("Unexpected message type"): reported as a violation each.
    expect(result.violations.map((x) => [x.kind, x.stream, x.frames])).toEqual([
      ['unexpected-message', 0, [18]],
      ['unexpected-message', 1, [25]],
    ]);
  });
});

describe('where tshark 4.0.17 is wrong and we are right (found on the real samples)', () => {
  it('a 64 KiB PDU (packetSize=65536) and everything after it on that direction', async () => {
    const v = view('pdu-64k');
    const { byFrame, result } = await ours('pdu-64k');
    // tshark: the request, SEND_HEADERS and the next CPING; no SEND_BODY_CHUNK, END_RESPONSE or CPONG.
    expect(v.frames.flatMap((f) => f.pdus.map(tsharkType))).toEqual(['FORWARD_REQUEST', 'SEND_HEADERS', 'CPING']);
    expect(types(byFrame, 13)).toEqual(['SEND_BODY_CHUNK']);
    expect(byFrame.get(13)![0]!.length).toBe(65532);
    expect(types(byFrame, 14)).toEqual(['END_RESPONSE']);
    expect(types(byFrame, 16)).toEqual(['CPONG']);
    // Over the default packet size: flagged at its header (frame 6), as the web server would see it.
    expect(result.violations.map((x) => [x.kind, x.frames])).toEqual([['packet-too-big', [6]]]);
  });
});

describe('where tshark is right, we agree', () => {
  it('both empty-body forms end a chunked request body', async () => {
    const v = view('empty-body-forms');
    const { byFrame, result } = await ours('empty-body-forms');
    for (const f of v.frames) expect(types(byFrame, f.frame), `frame ${f.frame}`).toEqual(f.pdus.map(tsharkType));
    const empties = [...byFrame.values()].flat().filter((m) => m.type === 'DATA' && m.empty);
    expect(empties.map((m) => (m.type === 'DATA' ? m.chunkLength : -1))).toEqual([null, 0]);
    expect(result.violations).toEqual([]);
  });
});
