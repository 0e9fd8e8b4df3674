/**
 * Every input the fuzz harness ever found to break a command (test/fixtures/fuzz/README.md), run
 * through every command variant: nothing escapes, no `undefined` / `NaN` / `Infinity` /
 * `[object Object]`, the JSON parses and is valid, and the fix says what it should.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { captureVariants, inputText, logVariants, runVariant, secretsIn, type Outcome } from './harness.js';

const dir = join(root, 'test', 'fixtures', 'fuzz');
const files = readdirSync(dir).filter((f) => f !== 'README.md').sort();

const problems = (o: Outcome): string[] => [o.escape, o.badToken, o.badJson, o.leak].filter((x): x is string => x !== undefined);

async function runAll(file: string): Promise<Outcome[]> {
  const path = join(dir, file);
  const text = inputText(readFileSync(path));
  const variants = file.endsWith('.log')
    ? [...logVariants(path), ...logVariants(path, 'Europe/Berlin')]
    : captureVariants(path, file.startsWith('mcmp-') ? { 'ajp-port': [18009, 18010], 'mcmp-port': [16666] } : { 'ajp-port': [18009] });
  const out: Outcome[] = [];
  // The known secret values the input shows (harness.ts secretsIn): none may be printed.
  for (const v of variants) out.push(await runVariant(v, text, secretsIn(text)));
  return out;
}

describe('fuzz regression fixtures', () => {
  it('there are fixtures', () => expect(files.length).toBeGreaterThanOrEqual(6));
  for (const f of files) {
    it(`${f}: every command variant runs clean`, async () => {
      const outs = await runAll(f);
      expect(outs.flatMap((o) => problems(o).map((p) => `${o.variant}: ${p}`))).toEqual([]);
      // Each read the input (none refused it as a whole): the fix is in the reading, not a refusal.
      expect(outs.filter((o) => o.refused !== undefined).map((o) => o.refused)).toEqual([]);
    });
  }

  it('an if_tsresol / if_tsoffset out of range is said once, and the report shows times', async () => {
    const outs = await runAll('pcapng-tsresol-range-error.pcapng');
    const text = outs[0]!;
    expect(text.stderr).toMatch(/out of range/);
    expect(text.stdout).toMatch(/Time span: +\d{4}-\d\d-\d\dT/);
  });

  it('an oversized reply announced before any request names "the request", not undefined', async () => {
    const outs = await runAll('oversize-reply-no-request.pcap');
    expect(outs.some((o) => /in the reply to the request/.test(o.stdout))).toBe(true);
  });

  it('times going backwards give a duration of 0, never negative', async () => {
    const outs = await runAll('times-backwards.pcapng');
    const doc = JSON.parse(outs[1]!.stdout) as { capture: { durationSeconds: number; streams: { start: number; duration: number }[] } };
    expect(doc.capture.durationSeconds).toBeGreaterThanOrEqual(0);
    for (const s of doc.capture.streams) expect(Math.min(s.start, s.duration)).toBeGreaterThanOrEqual(0);
  });

  it('a log stamp with 400 fraction digits still reads as a time', async () => {
    const outs = await runAll('log-year-out-of-range.log');
    expect(outs[0]!.stdout).toMatch(/18 lines \(httpd 18, 2026-11-21T11:09:2\d\.\d{3}Z \.\. 2026-/);
  });
});
