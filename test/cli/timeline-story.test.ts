/**
 * `timeline` writes each story as it makes it, in pieces of whole lines (cli/commands/timeline.ts
 * writeStory over timeline/render.ts storyLineGen): one pooled connection's story can be longer than
 * a string may be (9,000 requests with 11 KB of escaped headers each crashed with "Invalid string
 * length"). What it writes must be renderStory's text and the blank line after it, byte for byte.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analyze/index.js';
import { writeStory } from '../../src/cli/commands/timeline.js';
import { renderStory, storyLineGen } from '../../src/timeline/index.js';
import { root } from '../helpers/cli.js';

describe('writeStory', () => {
  it('writes renderStory and a blank line, plain and verbose, for every connection of real captures', async () => {
    let n = 0;
    for (const sample of ['samples/baseline/capture.pcap', 'samples/secret-mismatch/capture.pcap', 'samples/client-abort/capture.pcap']) {
      const a = await analyzeCapture(join(root, sample), { ajpPorts: [18009], ajp: { story: true } });
      for (const c of a.sections.ajp.connectionList) {
        for (const verbose of [false, true]) {
          const parts: string[] = [];
          writeStory(storyLineGen(c, verbose), (t) => parts.push(t), 256);
          expect(parts.join('')).toBe(renderStory(c, verbose) + '\n');
          // whole lines in each piece
          for (const p of parts) expect(p.endsWith('\n')).toBe(true);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('a long story comes in pieces of about the size asked, never as one string', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `    line ${i} ${'x'.repeat(100)}`);
    const parts: string[] = [];
    writeStory(lines, (t) => parts.push(t), 1 << 14);
    expect(parts.join('')).toBe(lines.join('\n') + '\n\n');
    expect(parts.length).toBeGreaterThan(100);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan((1 << 14) + 200);
  });
});
