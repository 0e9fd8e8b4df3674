/**
 * `timeline` sets each story aside in a temporary file as it is made and prints the stories in
 * tcp.stream order at the end (cli/story-spill.ts): what it prints must be what the analyzer's
 * connections, held in memory and rendered as renderStory and JSON.stringify render them, say. Run
 * in-process on real captures (samples/: several AJP connections each, interleaved; one with AJP
 * secrets), with a buffer of one byte (each event and cycle its own piece of the file, the
 * connections' pieces interleaved) and one that holds everything until the end.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runTimeline, timelineCommand } from '../../src/cli/commands/timeline.js';
import { readCommonOptions } from '../../src/cli/options.js';
import { setOutputGuard, shown, type Output } from '../../src/cli/output.js';
import { analysisOptions, analyzeAndDiagnose, closingLines, reportCommand } from '../../src/cli/analysis.js';
import { StorySpill } from '../../src/cli/story-spill.js';
import { renderStory } from '../../src/timeline/index.js';
import { formatTime } from '../../src/util/clock.js';
import { inputSecrets } from '../../src/util/secrets.js';
import { root } from '../helpers/cli.js';

class Recorder implements Output {
  readonly toStdout = true;
  text = '';
  write(text: string): void {
    this.text += text;
  }
  writeGuarded(bytes: Uint8Array): void {
    this.text += Buffer.from(bytes).toString('utf8');
  }
  commit(): void {}
  discard(): void {}
}

function setUp(sample: string, extra: Record<string, unknown>) {
  const args = { capture: sample === '-' ? '-' : join(root, sample), 'ajp-port': [18009], ...extra };
  const o = readCommonOptions(args, timelineCommand.options ?? []);
  inputSecrets.clear();
  setOutputGuard({ showSecrets: o.showSecrets, color: false });
  return { args, o };
}

async function timeline(sample: string, extra: Record<string, unknown>, flushAt?: number): Promise<{ text: string; code: number }> {
  const { args, o } = setUp(sample, extra);
  const out = new Recorder();
  const code = await runTimeline(args, o, out, { conn: undefined, eventLimit: 5000, verbose: extra.verbose === true }, flushAt);
  return { text: out.text, code };
}

/** The stories from the analyzer's own lists (no spill), rendered by renderStory / JSON.stringify. */
async function heldInMemory(sample: string, extra: Record<string, unknown>): Promise<string> {
  const { args, o } = setUp(sample, extra);
  const options = analysisOptions(o);
  options.ajp = { story: true, eventLimit: 5000, cycleLimit: 100000, releasedCycleLimit: 1000, cycleBudget: Infinity, storyEventBudget: Infinity, connectionLimit: Infinity };
  const { analysis, diagnosis } = await analyzeAndDiagnose([args.capture], o, options);
  const list = analysis.sections.ajp!.connectionList;
  if (o.format === 'json') return `${JSON.stringify({ connections: list, findings: diagnosis.findings, notices: analysis.notices }, null, 2)}\n`;
  const t0 = analysis.run.firstTs ?? 0;
  const time = (ts: number) => formatTime(ts, o.timeFormat, t0);
  return list.map((c) => `${renderStory(shown(c), extra.verbose === true, time)}\n`).join('') + closingLines(diagnosis.findings, analysis.notices, reportCommand('timeline'));
}

afterEach(() => {
  inputSecrets.clear();
  setOutputGuard({ showSecrets: false, color: false });
});

describe('timeline, its stories set aside while the capture is read', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['samples/secret-mismatch/capture.pcap', {}],
    ['samples/secret-mismatch/capture.pcap', { format: 'json' }],
    ['samples/secret-mismatch/capture.pcap', { verbose: true, 'show-secrets': true }],
    ['samples/overload/capture.pcap', {}],
    ['samples/overload/capture.pcap', { format: 'json' }],
    ['samples/backend-restart/capture.pcap', { format: 'json' }],
    ['samples/backend-restart/capture.pcap', { verbose: true }],
    // Body packets folded into one story line ("SEND_BODY_CHUNK ×3, … bytes").
    ['samples/baseline/capture.pcap', {}],
    ['samples/client-abort/capture.pcap', { format: 'json' }],
  ];
  for (const [sample, extra] of cases) {
    it(`${sample} ${JSON.stringify(extra)}: what the connections held in memory say, whatever the buffer`, async () => {
      const want = await heldInMemory(sample, extra);
      expect(want).toMatch(/^AJP connection tcp\.stream \d+|^ {6}"stream": \d+,/m);
      for (const flushAt of [1, 200, Infinity]) {
        const got = await timeline(sample, extra, flushAt);
        expect(got.text).toBe(want);
      }
    });
  }

  it('the temporary file is gone afterwards', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('ajp-inspect-timeline-'));
    await timeline('samples/overload/capture.pcap', {}, 1);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('ajp-inspect-timeline-'))).toEqual(before);
  });

  it('stdin is read once, with every story', async () => {
    const bytes = readFileSync(join(root, 'samples/overload/capture.pcap'));
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { value: Readable.from([bytes]), configurable: true });
    let text: string;
    try {
      text = (await timeline('-', {}, 1)).text;
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
    }
    const file = await timeline('samples/overload/capture.pcap', {});
    expect(text).toBe(file.text.replace(join(root, 'samples/overload/capture.pcap'), 'stdin'));
  });
});

describe('StorySpill', () => {
  it('gives each connection its items in order, the connections by stream, however they were interleaved', () => {
    const spill = new StorySpill(64);
    try {
      const conn = (stream: number, tail: number) =>
        ({ stream, events: [{ kind: 'ajp', t: tail, ts: tail, frames: [tail], name: 'x', text: `tail ${tail}` }], cycles: [] }) as unknown as Parameters<StorySpill['connection']>[0];
      const ev = (n: number) => ({ kind: 'ajp' as const, t: n, ts: n, frames: [n], name: 'x', text: `é ${'∑'.repeat(n % 7)} ${n}` });
      for (let n = 0; n < 300; n++) spill.event([5, 2, 9][n % 3]!, ev(n));
      spill.connection(conn(9, 1000));
      spill.connection(conn(2, 1001));
      spill.connection(conn(5, 1002));
      const got = [...spill.stories()].map((s) => ({ stream: s.conn.stream, count: s.eventCount, texts: [...s.events()].map((e) => e.text) }));
      expect(got.map((g) => g.stream)).toEqual([2, 5, 9]);
      for (const [i, stream] of [5, 2, 9].entries()) {
        const want = [...Array(300).keys()].filter((n) => n % 3 === i).map((n) => ev(n).text);
        const tail = `tail ${{ 9: 1000, 2: 1001, 5: 1002 }[stream]}`;
        const g = got.find((x) => x.stream === stream)!;
        expect(g.texts).toEqual([...want, tail]);
        expect(g.count).toBe(101);
      }
    } finally {
      spill.close();
    }
  });

  it('leaves nothing in the temporary folder, even before close() (the file is unlinked once open)', () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('ajp-inspect-timeline-'));
    const spill = new StorySpill(1);
    try {
      spill.event(3, { kind: 'ajp', t: 0, ts: 0, frames: [1], name: 'CPING', text: 'CPING' });
      spill.connection({ stream: 3, events: [], cycles: [] } as unknown as Parameters<StorySpill['connection']>[0]);
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith('ajp-inspect-timeline-'))).toEqual(before);
      expect([...spill.stories()].map((s) => [...s.events()].map((e) => e.text))).toEqual([['CPING']]);
    } finally {
      spill.close();
      spill.close();
    }
  });

});
