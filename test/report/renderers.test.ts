/**
 * Output formats are renderers registered in one list (src/report/renderers/index.ts): -T takes
 * exactly the listed ones, each renders the capture report and the diagnosis, and the commands whose
 * output is no report of root causes refuse the others instead of printing text.
 */
import { describe, expect, it } from 'vitest';
import { renderers, rendererFor } from '../../src/report/index.js';
import { textOrJson } from '../../src/cli/options.js';
import { runCli } from '../helpers/cli.js';

describe('renderers', () => {
  it('-T offers exactly the registered formats', () => {
    const help = runCli(['--help']).out.replace(/\s+/g, ' ');
    expect(help).toContain(`output format: ${renderers.map((r) => r.format).join(' | ')}`);
    for (const r of renderers) expect(rendererFor(r.format)).toBe(r);
  });
  it('every registered format renders a capture report and a diagnosis through the commands', () => {
    for (const r of renderers) {
      const cap = runCli(['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009', '-T', r.format]);
      expect(cap.code, r.format).toBe(1);
      expect(cap.out).toMatch(/ajp-secret-mismatch/);
      const diag = runCli(['diagnose', 'samples/reply-timeout/mod_jk-info.log', '-T', r.format, '--log-tz', 'UTC']);
      expect(diag.code, r.format).toBe(1);
      expect(diag.out).toMatch(/slow-backend-reply-timeout/);
    }
  });
  it('commands that write no report of root causes take text or json only', () => {
    expect(textOrJson('json', 'frames')).toBe('json');
    expect(() => textOrJson('markdown', 'frames')).toThrow(/frames writes text or json/);
  });
});
