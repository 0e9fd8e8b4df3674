/**
 * Markdown to paste into a ticket: the verdict line, the inputs with their time spans, the root
 * causes (consequences after their cause, as the text report orders them) with evidence as fenced
 * log lines and frame lists with their Wireshark filters, remedies as code blocks, and the capture's
 * details in a <details> block.
 *
 * The syntax used is the common part of GitHub Flavored Markdown and GitLab Flavored Markdown: pipe
 * tables with a header row and `---` delimiter row (`|` inside a cell escaped as `\|`), fenced code
 * blocks with ``` (longer when the text holds backticks), ATX headings, `<details><summary>` (both
 * render it as a collapsible block). Jira's wiki markup (`||` header cells, `{code}`, `{noformat}`)
 * is a different language: pasted into Jira it reads as plain text (the fences and pipes stay
 * visible but nothing is lost), which is why no line depends on rendering to be understood.
 *
 * Size: a report is at most MARKDOWN_MAX characters by construction (counts and samples, never
 * lists: at most 6 evidence lines per finding, lines cut at 400 characters, findings that do not fit
 * named in one line), so a 2 GB capture gives a report that fits a ticket comment (Jira's default
 * limit is 32,767 characters, GitHub's 65,536).
 */
import type { Finding } from '../../rules/finding.js';
import type { Evidence } from '../../util/evidence.js';
import { TOOL_VERSION } from '../../version.js';
import { captureSection } from '../capture.js';
import { findingLabels, findingTree, type FindingNode } from '../findings-order.js';
import { verdictLine } from '../findings-text.js';
import type { CaptureReportModel } from '../model.js';
import { ajpOf, boundedFilter, clip, inputRows, statusCounts } from '../page-data.js';
import type { DiagnosisModel, Renderer } from './types.js';

/** The most characters a Markdown report has (fits a Jira comment, 32,767). */
export const MARKDOWN_MAX = 30_000;
const EVIDENCE = 6;
const LINE = 400;
const FRAMES = 40;

/** Inline code that survives backticks in the text (a longer fence, padded). */
export function inlineCode(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function fenced(lines: readonly string[], info = 'text'): string {
  const body = lines.join('\n');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Text for a paragraph or a table cell: one line, no raw HTML, pipes escaped in cells. */
export function mdText(s: string, cell = false): string {
  let t = s.replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (cell) t = t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  return t;
}

export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => mdText(c, true) || ' ').join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function about(f: Finding): string {
  return f.subject && Object.keys(f.subject).length ? Object.entries(f.subject).map(([k, v]) => `${k} ${v}`).join(', ') : '';
}

function evidenceMd(ev: readonly Evidence[]): string[] {
  const out: string[] = [];
  const logs = ev.filter((e) => e.source === 'log');
  const caps = ev.filter((e) => e.source === 'capture');
  if (logs.length) out.push(fenced(logs.map((e) => clip(`${e.path}:${e.line}: ${e.text}`, LINE))));
  for (const e of caps) {
    const { filter, left } = boundedFilter(e.frames, FRAMES);
    out.push(`- capture tcp.stream ${e.stream}: ${mdText(clip(e.detail, LINE))}  \n  Wireshark: ${inlineCode(filter)}${left ? ` (+${left} frames)` : ''}`);
  }
  return out;
}

/** One finding in full; `short` gives its title line only (when the size budget is nearly spent). */
function findingMd(node: FindingNode, depth: number, short: boolean): string {
  const f = node.finding;
  const h = depth === 0 ? '###' : '####';  // deeper consequences stay at h4: the label says the depth
  const ab = about(f);
  const head = `${h} ${node.label}. ${mdText(f.title)} (${inlineCode(f.id)})`;
  const meta = `**${f.severity}**, ${f.confidence}${ab ? ` · ${mdText(ab)}` : ''}${f.causedBy ? ` · a consequence of ${inlineCode(f.causedBy)}` : ''}`;
  if (short) return `${head}\n\n${meta} (details in the HTML or JSON report)`;
  const parts = [head, meta, mdText(clip(f.explanation, 2000))];
  if (f.evidence.length) {
    const ev = f.evidence.slice(0, EVIDENCE);
    parts.push(`Evidence (${ev.length === f.evidence.length ? ev.length : `${ev.length} of ${f.evidence.length}`}):`, ...evidenceMd(ev));
  }
  for (const n of f.notes ?? []) parts.push(`Note: ${mdText(clip(n, LINE * 2))}`);
  parts.push('Remedy:', fenced(f.remedy.slice(0, 2500).split('\n')));
  return parts.join('\n\n');
}

/** The findings section within `budget` characters; what does not fit is named in one line. */
function findingsMd(findings: readonly Finding[], none: string, budget: number): string {
  if (!findings.length) return `## Root causes\n\n${mdText(none)}`;
  const labels = findingLabels(findings);
  const tbl = table(['#', 'severity', 'confidence', 'root cause', 'about'], findings.slice(0, 40).map((f, i) => [labels[i]!, f.severity, f.confidence, (f.causedBy ? '└ ' : '') + f.id + (f.causedBy ? ` (a consequence of ${f.causedBy})` : ''), about(f) || f.title]));
  let out = `## Root causes\n\n${tbl}${findings.length > 40 ? `\n\n${findings.length - 40} more findings not in the table.` : ''}`;
  const order: Array<{ node: FindingNode; depth: number }> = [];
  const walk = (n: FindingNode, depth: number): void => {
    order.push({ node: n, depth });
    for (const c of n.consequences) walk(c, depth + 1);
  };
  for (const r of findingTree(findings)) walk(r, 0);
  const reserve = 400;
  for (let k = 0; k < order.length; k++) {
    const { node, depth } = order[k]!;
    const full = findingMd(node, depth, false);
    const short = findingMd(node, depth, true);
    if (out.length + full.length + 2 + reserve <= budget) out += `\n\n${full}`;
    else if (out.length + short.length + 2 + reserve <= budget) out += `\n\n${short}`;
    else {
      const rest = order.slice(k).map((x) => x.node.finding.id);
      out += `\n\n${rest.length} more finding${rest.length === 1 ? '' : 's'} not shown here (size limit of a ticket comment): ${clip([...new Set(rest)].join(', '), 300)}. The HTML and JSON reports have them all.`;
      break;
    }
  }
  return out;
}

function details(summary: string, body: string): string {
  // Blank lines around the body: GitHub and GitLab render Markdown inside <details> only then.
  return `<details>\n<summary>${mdText(summary)}</summary>\n\n${body}\n\n</details>`;
}

function redactionLine(showSecrets: boolean): string {
  return showSecrets
    ? '**Written with --show-secrets: this report may hold cookies, Authorization values and the AJP secret. Do not paste it into a public ticket.**'
    : `_ajp-inspect ${TOOL_VERSION}. Secrets, cookies, Authorization values and session ids are redacted._`;
}

/** The capture report as Markdown. */
export function renderCaptureMarkdown(m: CaptureReportModel): string {
  const findings = m.findings ?? [];
  const noAjp = m.notices.find((x) => x.kind === 'no-ajp');
  const none = noAjp !== undefined ? noAjp.text : `no root cause found in this capture${m.withLogs ? ' and these logs' : ''}.`;
  const head = [`**Verdict:** ${mdText(clip(verdictLine(findings, false, none).replace(/^Verdict:\s*/, ''), 1200))}`];
  head.push(table(['input', 'kind', 'format', 'read', 'from', 'to'], inputRows(m).slice(0, 20).map((r) => [r.path, r.kind, r.format, r.read, r.from ?? '', r.to ?? ''])));
  if (m.inputs.length > 20) head.push(`${m.inputs.length - 20} more inputs.`);
  for (const w of m.warnings.slice(0, 5)) head.push(`> Warning: ${mdText(clip(w, LINE))}`);
  for (const n of m.notices.slice(0, 5)) if (!(findings.length === 0 && n.kind === 'no-ajp')) head.push(`> Note: ${mdText(clip(n.text, LINE * 2))}`);

  const cap = captureSection(m.capture.analysis.run, m.capture.name);
  const ajp = ajpOf(m);
  const rows: string[][] = [
    ['packets', `${cap.packets} (${cap.tcpPackets} TCP)`],
    ['time span', `${cap.durationSeconds.toFixed(3)} s`],
    ['TCP streams', String(cap.tcpStreams)],
  ];
  if (ajp !== undefined) {
    rows.push(['AJP connections', String(ajp.connections)], ['AJP requests', String(ajp.requests)]);
    const sc = Object.entries(statusCounts(ajp.requestList)).map(([k, v]) => `${k} ${v}`).join(', ');
    if (sc) rows.push([`status classes${ajp.requestsDropped ? ` (first ${ajp.requestList.length} requests)` : ''}`, sc]);
    const vc = Object.entries(ajp.violationCounts).sort((a, b) => b[1] - a[1]);
    if (vc.length) rows.push(['protocol violations', clip(vc.slice(0, 12).map(([k, v]) => `${k} ${v}`).join(', ') + (vc.length > 12 ? `, ${vc.length - 12} more kinds` : ''), LINE)]);
    const bad = ajp.connectionList.filter((c) => c.violations.length > 0 || c.facts.rstBy !== null).slice(0, 10);
    if (bad.length) rows.push(['connections to look at', bad.map((c) => `tcp.stream eq ${c.stream}`).join(', ') + (ajp.connectionList.length > 10 ? ' (first 10)' : '')]);
  }
  const tail = [details('Capture details', table(['', ''], rows)), redactionLine(m.capture.analysis.options.showSecrets)];

  const fixed = head.join('\n\n').length + tail.join('\n\n').length + 8;
  return [...head, findingsMd(findings, none, MARKDOWN_MAX - fixed), ...tail].join('\n\n') + '\n';
}

/** The diagnosis of logs as Markdown. */
export function renderDiagnosisMarkdown(d: DiagnosisModel): string {
  const f = d.result.findings;
  const none = d.result.matched === 0 ? 'no root cause found: nothing in these lines names a message ajp-inspect knows.' : 'no root cause found in these logs.';
  const iso = (t: number | undefined): string => (t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString());
  const head = [`**Verdict:** ${mdText(clip(verdictLine(f, false, none).replace(/^Verdict:\s*/, ''), 1200))}`];
  head.push(
    table(
      ['input', 'lines', 'dialects', 'from', 'to', 'unrecognised'],
      d.summaries.slice(0, 20).map((s) => [s.path === '-' ? 'stdin' : s.path, String(s.lines), Object.entries(s.byDialect).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ') || 'none recognised', iso(s.firstTs), iso(s.lastTs), String(s.unrecognised)]),
    ),
  );
  const cap = d.report.inputs.find((i) => i.kind === 'capture');
  if (cap) head.push(`Capture read with the logs: ${inlineCode(cap.path)} (${mdText(cap.format)}).`);
  const tail: string[] = [];
  if (d.result.notEvaluated.length) tail.push(details(`Rules not evaluated (${d.result.notEvaluated.length})`, table(['rule', 'why'], d.result.notEvaluated.slice(0, 60).map((x) => [x.id, x.reason]))));
  tail.push(redactionLine(false));
  const fixed = head.join('\n\n').length + tail.join('\n\n').length + 8;
  return [...head, findingsMd(f, none, MARKDOWN_MAX - fixed), ...tail].join('\n\n') + '\n';
}

/** `-T markdown`: a report to paste into a ticket (GitHub, GitLab; plain text in Jira). */
export const markdownRenderer: Renderer = {
  format: 'markdown',
  describe: 'a report to paste into a ticket (GitHub / GitLab Markdown, at most 30,000 characters)',
  capture: (m) => renderCaptureMarkdown(m),
  diagnosis: (m) => renderDiagnosisMarkdown(m),
};
