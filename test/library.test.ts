/**
 * The library entry (`import … from 'ajp-inspect'`) gives both springs of the river: a capture run
 * with the AJP analyzer and its evidence, and logs through the rules — the same results as the CLI.
 */
import { describe, expect, it } from 'vitest';
import { AjpCaptureAnalyzer, detectCaptureEvidence, diagnose, inspectCapture, parseLogText } from '../src/index.js';

describe('library entry', () => {
  it('runs a real capture through the AJP analyzer and the rules', async () => {
    const ajp = new AjpCaptureAnalyzer({ ajpPorts: [18009], packetSize: 8192 });
    const run = await inspectCapture('samples/secret-mismatch/capture.pcap', { sinks: [ajp.sink] });
    expect(run.packets).toBeGreaterThan(0);
    const { findings } = diagnose({ events: [], capture: detectCaptureEvidence(ajp.result()) });
    expect(findings.map((f) => f.id)).toEqual(['ajp-secret-mismatch']);
  });

  it("diagnoses pasted log text (the seed case's lines, as quoted in the support article)", () => {
    const text = [
      '    [warn] jk_ajp_common.c (883): awaited reply cpong, received 6 instead',
      '    [debug] jk_connect.c (732): Shutdown socket 668 and read 306 lingering bytes',
    ].join('\n');
    const { events } = parseLogText(text, { path: 'paste', tz: 'UTC' });
    expect(events).toHaveLength(2);
    expect(diagnose({ events }).findings.map((f) => f.id)).toContain('cping-desync-leftover-packets');
  });
});
