/**
 * `timeline` reads a capture again for batches of connections when one reading cannot hold every
 * story within its bounds (cli/commands/timeline.ts): what it prints must be the same, byte for
 * byte, as one reading that holds them all. Run in-process with bounds small enough to force a
 * batch of one or two connections, on real captures (samples/: several AJP connections each, one
 * with AJP secrets, whose #numbers run over the whole capture).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { planPasses, runTimeline, timelineCommand, type PassBounds } from '../../src/cli/commands/timeline.js';
import { readCommonOptions } from '../../src/cli/options.js';
import { setOutputGuard, type Output } from '../../src/cli/output.js';
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

const UNBOUNDED: PassBounds = { events: Infinity, cycles: Infinity, connections: Infinity };

async function timeline(sample: string, extra: Record<string, unknown>, bounds: PassBounds): Promise<{ text: string; code: number }> {
  const args = { capture: join(root, sample), 'ajp-port': [18009], ...extra };
  const o = readCommonOptions(args, timelineCommand.options ?? []);
  inputSecrets.clear();
  setOutputGuard({ showSecrets: o.showSecrets, color: false });
  const out = new Recorder();
  const code = await runTimeline(args, o, out, { conn: undefined, eventLimit: 5000, verbose: extra.verbose === true }, bounds);
  return { text: out.text, code };
}

afterEach(() => {
  inputSecrets.clear();
  setOutputGuard({ showSecrets: false, color: false });
});

describe('timeline read in batches', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['samples/secret-mismatch/capture.pcap', {}],
    ['samples/secret-mismatch/capture.pcap', { format: 'json' }],
    ['samples/secret-mismatch/capture.pcap', { verbose: true, 'show-secrets': true }],
    ['samples/overload/capture.pcap', {}],
    ['samples/overload/capture.pcap', { format: 'json' }],
    ['samples/backend-restart/capture.pcap', { format: 'json' }],
  ];
  for (const [sample, extra] of cases) {
    it(`${sample} ${JSON.stringify(extra)}: the same output as one unbounded reading`, async () => {
      const whole = await timeline(sample, extra, UNBOUNDED);
      expect(whole.text).toMatch(/^AJP connection tcp\.stream \d+|^ {6}"stream": \d+,/m);
      // One connection's story, or two, per reading: many readings.
      for (const bounds of [{ events: 1, cycles: 1, connections: 1 }, { events: 40, cycles: 6, connections: 2 }]) {
        const batched = await timeline(sample, extra, bounds);
        expect(batched.code).toBe(whole.code);
        expect(batched.text).toBe(whole.text);
      }
    });
  }

  it('the secrets keep the numbers of the whole capture in a batch that starts after the first ones', async () => {
    const whole = await timeline('samples/secret-mismatch/capture.pcap', {}, UNBOUNDED);
    const ids = [...whole.text.matchAll(/secret #(\d+)/g)].map((m) => Number(m[1]));
    expect(new Set(ids).size).toBeGreaterThan(1);
    const batched = await timeline('samples/secret-mismatch/capture.pcap', {}, { events: 1, cycles: 1, connections: 1 });
    expect([...batched.text.matchAll(/secret #(\d+)/g)].map((m) => Number(m[1]))).toEqual(ids);
  });
});

describe('timeline from stdin, which cannot be read twice', () => {
  it('one reading within the bounds; what it left out is said on stderr, and nothing when it held everything', async () => {
    const bytes = readFileSync(join(root, 'samples/overload/capture.pcap'));
    const run = async (bounds: PassBounds): Promise<{ text: string; err: string }> => {
      const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
      const write = process.stderr.write;
      let err = '';
      Object.defineProperty(process, 'stdin', { value: Readable.from([bytes]), configurable: true });
      process.stderr.write = ((chunk: string | Uint8Array) => {
        err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
      }) as typeof process.stderr.write;
      try {
        const args = { capture: '-', 'ajp-port': [18009] };
        const o = readCommonOptions(args, timelineCommand.options ?? []);
        const out = new Recorder();
        await runTimeline(args, o, out, { conn: undefined, eventLimit: 5000, verbose: false }, bounds);
        return { text: out.text, err };
      } finally {
        Object.defineProperty(process, 'stdin', stdin);
        process.stderr.write = write;
      }
    };
    const whole = await run(UNBOUNDED);
    expect(whole.err).not.toMatch(/stdin cannot be read twice/);
    // The same stories as from the file; the closing line names the input.
    expect(whole.text).toBe((await timeline('samples/overload/capture.pcap', {}, UNBOUNDED)).text.replace(join(root, 'samples/overload/capture.pcap'), 'stdin'));
    const cut = await run({ events: 40, cycles: 6, connections: 2 });
    const stories = (t: string) => [...t.matchAll(/^AJP connection tcp\.stream (\d+)/gm)].map((m) => Number(m[1]));
    expect(stories(cut.text)).toEqual(stories(whole.text).slice(0, 2));
    expect(cut.err).toMatch(new RegExp(`warning: stdin cannot be read twice.*the ${stories(whole.text).length - 2} connection\\(s\\) after the first 2 are not shown.*give the capture as a file`));
  });
});

describe('planPasses', () => {
  const w = (stream: number, events: number, cycles: number) => ({ stream, events, cycles });

  it('batches in tcp.stream order, each within every bound', () => {
    const conns = [w(9, 10, 1), w(1, 50, 2), w(4, 30, 9), w(2, 20, 1), w(7, 5, 0)];
    const b = { events: 60, cycles: 10, connections: 2 };
    const batches = planPasses(conns, b);
    expect(batches.flat()).toEqual([1, 2, 4, 7, 9]);
    expect(batches).toEqual([[1], [2, 4], [7, 9]]);
    for (const batch of batches) {
      const got = conns.filter((c) => batch.includes(c.stream));
      expect(got.length).toBeLessThanOrEqual(b.connections);
      if (got.length > 1) {
        expect(got.reduce((s, c) => s + c.events, 0)).toBeLessThanOrEqual(b.events);
        expect(got.reduce((s, c) => s + c.cycles, 0)).toBeLessThanOrEqual(b.cycles);
      }
    }
  });

  it('a connection larger than a reading is a batch of its own; nothing for no connection', () => {
    expect(planPasses([w(3, 500, 0), w(5, 1, 0), w(8, 1, 0)], { events: 100, cycles: 10, connections: 10 })).toEqual([[3], [5, 8]]);
    expect(planPasses([], { events: 1, cycles: 1, connections: 1 })).toEqual([]);
  });
});
