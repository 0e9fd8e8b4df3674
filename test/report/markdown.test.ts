/**
 * The Markdown report: the syntax GitHub (GFM spec, https://github.github.com/gfm/) and GitLab (GLFM,
 * a GFM superset) both render — pipe tables with a delimiter row and `\|` inside cells, fenced code
 * blocks whose fence is longer than any backtick run inside (GFM §4.5), `<details>` with blank lines
 * around its Markdown — and the size bound: at most MARKDOWN_MAX characters whatever the findings.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analyze/index.js';
import { captureReportModel } from '../../src/report/index.js';
import { MARKDOWN_MAX, fenced, inlineCode, mdText, renderCaptureMarkdown, table } from '../../src/report/renderers/markdown.js';
import type { Finding } from '../../src/rules/finding.js';

/** Cells of a GFM table row: split on pipes not escaped with a backslash. */
function cells(row: string): string[] {
  return row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

/** Checks every table (same cell count in every row as in its header) and that fences are closed. */
function checkSyntax(md: string): void {
  const lines = md.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const f = /^(`{3,})/.exec(l);
    if (fence === null && f) fence = f[1]!;
    else if (fence !== null && l === fence) fence = null;
    if (fence !== null) continue;
    if (/^\| /.test(l) && /^\|( --- \|)+$/.test(lines[i + 1] ?? '')) {
      const n = cells(l).length;
      expect(cells(lines[i + 1]!).length).toBe(n);
      for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cells(lines[j]!).length, lines[j]).toBe(n);
    }
  }
  expect(fence, 'an unclosed code fence').toBeNull();
  // <details> opened and closed alike, with a blank line after <summary> (else GitHub shows raw Markdown).
  expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  for (const m of md.matchAll(/<\/summary>\n([\s\S]?)/g)) expect(m[1]).toBe('\n');
}

function finding(i: number, evidence: number): Finding {
  return {
    id: `rule-${i % 7}`,
    title: `Title ${i} with | a pipe and \`backticks\``,
    severity: i % 3 === 0 ? 'error' : 'warning',
    confidence: 'likely',
    explanation: 'x'.repeat(3000),
    remedy: 'worker.node1.reply_timeout=60000\n```\ninside a fence\n```',
    evidence: Array.from({ length: evidence }, (_, k) =>
      k % 2 ? { source: 'log' as const, path: 'mod_jk.log', line: k, text: `[error] line ${k} ${'y'.repeat(1000)}` } : { source: 'capture' as const, kind: 'k', stream: k, frames: Array.from({ length: 5000 }, (_, f) => f + 1), ts: 1, detail: 'detail | with pipe' },
    ),
    ...(i % 5 === 4 ? { causedBy: 'rule-0' } : {}),
  };
}

describe('markdown syntax helpers', () => {
  it('inline code and fences outgrow the backticks inside', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
    expect(fenced(['```', 'x'])).toBe('````text\n```\nx\n````');
  });
  it('table cells escape pipes and never hold raw HTML or a line break', () => {
    expect(table(['a', 'b'], [['x|y', 'p\nq <b>']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | p q &lt;b&gt; |');
    expect(mdText('a <details>')).toBe('a &lt;details&gt;');
  });
});

describe('markdown report', () => {
  it('a real capture: verdict first, valid tables and fences', async () => {
    const analysis = await analyzeCapture('samples/secret-mismatch/capture.pcap', { ajpPorts: [18009] });
    const f: Finding[] = [finding(0, 3), finding(4, 2)];
    const md = renderCaptureMarkdown(captureReportModel({ name: 'samples/secret-mismatch/capture.pcap', analysis, findings: f }));
    expect(md.split('\n')[0]).toMatch(/^\*\*Verdict:\*\* error, likely: rule-0/);
    checkSyntax(md);
    // The consequence follows its cause, as in the text report.
    expect(md.indexOf('### 1.')).toBeLessThan(md.indexOf('#### 1.1.'));
    expect(md).toContain('a consequence of `rule-0`');
    // frame lists are a filter, capped: counts, not lists
    expect(md).toMatch(/`frame\.number in \{1 2 3 .* 40\}` \(\+4960 frames\)/);
  });
  it(`stays under ${MARKDOWN_MAX} characters whatever the findings (counts and samples, not lists)`, async () => {
    const analysis = await analyzeCapture('samples/backend-restart/capture.pcap');
    for (const n of [1, 20, 300]) {
      const md = renderCaptureMarkdown(captureReportModel({ name: 'c.pcap', analysis, findings: Array.from({ length: n }, (_, i) => finding(i, 12)) }));
      expect(md.length, `${n} findings`).toBeLessThanOrEqual(MARKDOWN_MAX);
      checkSyntax(md);
      if (n === 300) expect(md).toMatch(/\d+ more findings not shown here/);
    }
  });
});
