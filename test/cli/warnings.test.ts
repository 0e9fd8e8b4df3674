/**
 * Consistent warnings (issue 15): every capture command says a capture was cut short the same way,
 * and a rule that throws is said in every command (never silently dropped); the log reader caps a
 * line before any pattern sees it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { captureVariants, logVariants, runVariant, type Variant } from '../fuzz/harness.js';
import { rules } from '../../src/rules/index.js';
import { MAX_LINE } from '../../src/logs/reader.js';
import { parseLogText } from '../../src/logs/index.js';

const truncated = join(root, 'test/fixtures/captures/lo-ether-truncated.pcap');

describe('warnings', () => {
  it('a cut capture: the same truncation warning from the default command, frames, timeline and mcmp, text and JSON', async () => {
    const lines = new Set<string>();
    const variants = captureVariants(truncated, {});
    for (const v of variants) {
      const o = await runVariant(v, '', []);
      expect(o.escape).toBeUndefined();
      const w = o.stderr.split('\n').filter((l) => l.includes('capture cut short'));
      expect(w, v.command).toHaveLength(1);
      lines.add(w[0]!);
    }
    expect(lines.size).toBe(1);
  });

  describe('a rule that throws', () => {
    const victim = rules.find((r) => r.id === 'backend-refused-connection') ?? rules[0]!;
    const check = victim.check;
    afterEach(() => {
      victim.check = check;
    });
    it('is said on stderr by every command, capture or logs', async () => {
      victim.check = () => {
        throw new Error('boom');
      };
      const vs: Variant[] = [...captureVariants(join(root, 'samples/backend-down/capture.pcap'), { 'ajp-port': [18009] }), ...logVariants(join(root, 'samples/backend-down/mod_jk.log'))];
      for (const v of vs) {
        const o = await runVariant(v, '', []);
        expect(o.escape, v.command).toBeUndefined();
        expect(o.stderr, `${v.command} ${JSON.stringify(v.args)}`).toContain(`rule ${victim.id} could not run (rule failed: boom)`);
      }
    });
  });

  it('a log line is capped before any pattern sees it', () => {
    const long = `[Sat Nov 21 10:52:24.905 2026] [1:2] [error] jk_ajp_common.c (1): ${'x'.repeat(MAX_LINE * 4)}`;
    const { summary, events } = parseLogText(`${long}\nnext line`, { path: 'x', tz: 'UTC' });
    expect(summary.lines).toBe(2);
    for (const e of events) expect(e.text.length).toBeLessThanOrEqual(MAX_LINE);
  });
});
