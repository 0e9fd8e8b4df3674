/**
 * One self-contained HTML page for a ticket or an incident review: the verdict, the findings with
 * their evidence (log lines with file:line, frame lists as Wireshark filters), a timeline of the
 * capture, charts, a sequence diagram per AJP connection (those the findings name first), the
 * inputs. Inline CSS and SVG only; a Content-Security-Policy forbids every fetch, so the page opens
 * from disk and loads nothing. JavaScript only adds the connection filter, copy buttons and zoom:
 * with it off everything is shown. Sizes are bounded by construction (caps on diagrams, rows,
 * points, with the counts of what was left out), so a 1 GB capture gives a page of a few MB at most.
 */
import { LOAD_HEAD, LOAD_TAIL, type McmpAnalysis } from '../../mcmp/index.js';
import type { Finding, Severity } from '../../rules/finding.js';
import type { Evidence } from '../../util/evidence.js';
import { TOOL_VERSION } from '../../version.js';
import { captureSection } from '../capture.js';
import { findingLabels, findingTree, type FindingNode } from '../findings-order.js';
import { verdictLine } from '../findings-text.js';
import type { CaptureReportModel } from '../model.js';
import { ajpOf, boundedFilter, connectionsToShow, failed, inputRows, perBackend, statusCounts } from '../page-data.js';
import {
  LATENCY_BUCKETS,
  barChart,
  captureTimeline,
  dur,
  esc,
  evidenceTimeline,
  hbarChart,
  latencyBucket,
  scatterOverTime,
  sequenceDiagram,
  statusColor,
  stepChart,
  type Point,
  type Series,
  type TimelineMarker,
} from '../figures/index.js';
import type { DiagnosisModel, Renderer } from './types.js';

/** Caps: what a page draws at most (the rest is counted on the page). */
export const HTML_LIMITS = { diagrams: 24, rowsPerDiagram: 70, timelineRows: 60, cyclesPerRow: 60, points: 2000, evidencePerFinding: 12 } as const;

const SEV_COLOR: Record<Severity, string> = { error: '#b3261e', warning: '#a15c00', info: '#1f5fa8' };

const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--line:#d0d0d0;--bg:#fff;--err:#b3261e;--warn:#a15c00;--info:#1f5fa8;--ok:#2e7d32}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:0 20px 40px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;border:2px solid #000}
header{border-bottom:2px solid var(--line);margin-bottom:12px}
h1{font-size:1.5em;margin:18px 0 6px}h2{font-size:1.25em;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:3px}h3{font-size:1.08em;margin:0 0 6px}h4{font-size:1em;margin:10px 0 4px}
.verdict{font-size:1.12em;padding:10px 14px;border-left:6px solid var(--muted);background:#f7f7f7;margin:8px 0 12px}
.verdict.error{border-color:var(--err);background:#fdecea}.verdict.warning{border-color:var(--warn);background:#fff4e0}.verdict.info{border-color:var(--info);background:#e8f0fb}
nav ul{list-style:none;padding:0;margin:6px 0 10px;display:flex;flex-wrap:wrap;gap:14px}
a{color:#0b57d0}a:focus,button:focus,summary:focus,input:focus,figure:focus{outline:3px solid #0b57d0;outline-offset:2px}
caption{text-align:left}
table{border-collapse:collapse;margin:6px 0 10px;font-size:.93em}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0}
.finding{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:4px;padding:10px 14px;margin:12px 0}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}.finding.info{border-left-color:var(--info)}
.finding .finding{margin-left:8px}
.badge{display:inline-block;font-size:.82em;font-weight:600;padding:1px 7px;border-radius:10px;color:#fff;margin-right:6px}
.badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.info{background:var(--info)}.badge.conf{background:#444}
.about{color:var(--muted)}
pre,code{font:13px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
pre.logs .loc{color:#4a4a4a;font-style:italic}
pre{background:#f5f5f5;border:1px solid #e0e0e0;padding:6px 8px;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:4px 0}
ul.evidence{list-style:none;padding:0;margin:0}ul.evidence li{margin:4px 0}
.loc{color:var(--muted);font-size:.9em}
code.filter{background:#eef3fb;border:1px solid #c9d7ee;padding:1px 4px;user-select:all}
button{font:inherit;font-size:.85em;padding:1px 8px;margin-left:6px;cursor:pointer}
figure{margin:10px 0 18px;overflow-x:auto}figcaption{color:var(--muted);font-size:.92em;margin-top:4px}
svg.fig{max-width:100%;height:auto;font:11px system-ui,sans-serif;fill:var(--fg)}
svg.seq{font-size:12px}svg .lane{font-weight:700;font-size:13px}svg .sub,svg .t{fill:#555}svg .axis text{fill:#444}
figure.zoom svg.fig{max-width:none}
.conn{border-top:1px solid var(--line);padding-top:8px}
.notice{background:#fff8e1;border:1px solid #f0d48a;padding:6px 10px;border-radius:4px}
.left{color:var(--muted);font-style:italic}
footer{margin-top:30px;border-top:1px solid var(--line);color:var(--muted);font-size:.9em;padding-top:8px}
#filter{padding:3px 6px;font:inherit;width:22em}
@media print{nav,.controls,button,.skip{display:none!important}body{max-width:none}figure,.finding{break-inside:avoid}details{display:block}details>*{display:block}a{color:inherit;text-decoration:none}}
`;

// Progressive enhancement only: the page is complete without it.
const SCRIPT = `
(function(){
  var f=document.getElementById('filter');
  if(f){document.getElementById('controls').hidden=false;
    f.addEventListener('input',function(){var q=f.value.trim().toLowerCase();
      document.querySelectorAll('figure.conn').forEach(function(el){el.hidden=q!==''&&(el.getAttribute('data-search')||'').indexOf(q)<0;});});}
  document.querySelectorAll('code.filter').forEach(function(c){
    if(!navigator.clipboard)return;var b=document.createElement('button');b.type='button';b.textContent='copy';
    b.setAttribute('aria-label','copy the Wireshark filter '+c.textContent);
    b.addEventListener('click',function(){navigator.clipboard.writeText(c.textContent).then(function(){b.textContent='copied';},function(){});});
    c.after(b);});
  document.querySelectorAll('figure[data-zoom]').forEach(function(fig){
    fig.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();fig.classList.toggle('zoom');}});
    fig.addEventListener('click',function(){fig.classList.toggle('zoom');});});
})();
`;

// default-src 'none': no request of any kind leaves the page (fonts, images, scripts, fetch).
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function page(title: string, verdict: { text: string; severity: Severity | 'none' }, nav: Array<[string, string]>, main: string, footer: string): string {
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="ajp-inspect ${TOOL_VERSION}"><title>${esc(title)}</title><style>${CSS}</style></head>\n<body>\n` +
    `<a class="skip" href="#findings">Skip to the findings</a>\n<header><h1>${esc(title)}</h1>\n` +
    `<p id="verdict" class="verdict ${verdict.severity}" role="status"><strong>Verdict:</strong> ${esc(verdict.text)}</p>\n` +
    `<nav aria-label="Sections"><ul>${nav.map(([id, label]) => `<li><a href="#${id}">${esc(label)}</a></li>`).join('')}</ul></nav></header>\n<main>\n${main}</main>\n` +
    `<footer>${footer}</footer>\n<script>${SCRIPT}</script>\n</body></html>\n`
  );
}

function verdictParts(findings: readonly Finding[], none: string): { text: string; severity: Severity | 'none' } {
  return { text: verdictLine(findings, false, none).replace(/^Verdict:\s*/, ''), severity: findings[0]?.severity ?? 'none' };
}

function about(f: Finding): string {
  return f.subject && Object.keys(f.subject).length ? Object.entries(f.subject).map(([k, v]) => `${k} ${v}`).join(', ') : '';
}

function evidenceItem(e: Evidence, drawn: ReadonlySet<number>): string {
  if (e.source === 'config') return `<li class="log"><span class="loc">${esc(`${e.path}:${e.line}`)}</span><pre>${esc(e.text)}</pre></li>`;
  if (e.source === 'log') return `<li class="log"><span class="loc">${esc(`${e.path}:${e.line}`)}${e.ts ? ` · ${esc(e.ts)}` : ''}</span><pre>${esc(e.text)}</pre></li>`;
  const { filter, left } = boundedFilter(e.frames);
  const link = drawn.has(e.stream) ? ` <a href="#conn-${e.stream}">diagram of stream ${e.stream}</a>` : '';
  return `<li class="cap"><span class="loc">capture tcp.stream ${e.stream}, ${e.frames.length} frame${e.frames.length === 1 ? '' : 's'}</span>${link}<br>${esc(e.detail)}<br><code class="filter">${esc(filter)}</code>${left ? ` <span class="left">(+${left} frames)</span>` : ''}</li>`;
}

/** Log lines as one block (file:line before each), capture evidence as a list with its filter. */
function evidenceHtml(ev: readonly Evidence[], drawn: ReadonlySet<number>): string {
  let out = '';
  let logs: string[] = [];
  let caps: string[] = [];
  const flush = (): void => {
    if (logs.length) out += `<pre class="logs">${logs.join('\n')}</pre>`;
    if (caps.length) out += `<ul class="evidence">${caps.join('')}</ul>`;
    logs = [];
    caps = [];
  };
  for (const e of ev) {
    if (e.source === 'log') {
      if (caps.length) flush();
      logs.push(`<span class="loc">${esc(`${e.path}:${e.line}`)}</span> ${esc(e.text)}`);
    } else {
      if (logs.length) flush();
      caps.push(evidenceItem(e, drawn));
    }
  }
  flush();
  return out;
}

function findingHtml(node: FindingNode, level: number, drawn: ReadonlySet<number>): string {
  const f = node.finding;
  const h = `h${Math.min(6, level)}`;
  const id = `finding-${node.index + 1}`;
  const ab = about(f);
  let s = `<article class="finding ${f.severity}" id="${id}" aria-labelledby="${id}-h" data-finding="${esc(f.id)}">`;
  s += `<${h} id="${id}-h">${node.label}. ${esc(f.title)} <code>${esc(f.id)}</code></${h}>`;
  s += `<p><span class="badge ${f.severity}">${f.severity}</span><span class="badge conf">${f.confidence}</span>${ab ? `<span class="about">${esc(ab)}</span>` : ''}${f.causedBy ? ` <span class="about">a consequence of <code>${esc(f.causedBy)}</code></span>` : ''}</p>`;
  s += `<p>${esc(f.explanation)}</p>`;
  const ev = f.evidence.slice(0, HTML_LIMITS.evidencePerFinding);
  if (ev.length) s += `<h4>Evidence</h4>${evidenceHtml(ev, drawn)}${f.evidence.length > ev.length ? `<p class="left">${f.evidence.length - ev.length} more evidence items in the JSON report.</p>` : ''}`;
  for (const n of f.notes ?? []) s += `<p><strong>Note:</strong> ${esc(n)}</p>`;
  s += `<h4>Remedy</h4><pre class="remedy">${esc(f.remedy)}</pre>`;
  if (f.references?.length) s += `<details><summary>References (${f.references.length})</summary><ul>${f.references.map((r) => `<li>${/^https?:\/\//.test(r) ? `<a href="${esc(r)}" rel="noreferrer">${esc(r)}</a>` : esc(r)}</li>`).join('')}</ul></details>`;
  if (node.consequences.length) s += `<div class="consequences"><h4>What it explains (${node.consequences.length})</h4>${node.consequences.map((c) => findingHtml(c, level + 1, drawn)).join('')}</div>`;
  return s + '</article>\n';
}

function findingsSection(findings: readonly Finding[], none: string, drawn: ReadonlySet<number>): string {
  let s = `<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Root causes</h2>\n`;
  if (!findings.length) return s + `<p>${esc(none)}</p></section>\n`;
  s += `<table><caption class="left">Findings in the order to act on them</caption><thead><tr><th scope="col">#</th><th scope="col">severity</th><th scope="col">confidence</th><th scope="col">root cause</th><th scope="col">about</th></tr></thead><tbody>`;
  const labels = findingLabels(findings);
  findings.forEach((f, i) => (s += `<tr><td><a href="#finding-${i + 1}">${labels[i]}</a></td><td>${f.severity}</td><td>${f.confidence}</td><td>${f.causedBy ? '└ ' : ''}<code>${esc(f.id)}</code>${f.causedBy ? ` <span class="about">(a consequence of ${esc(f.causedBy)})</span>` : ''}</td><td>${esc(about(f) || f.title)}</td></tr>`));
  s += `</tbody></table>\n`;
  for (const node of findingTree(findings)) s += findingHtml(node, 3, drawn);
  return s + '</section>\n';
}

function figure(id: string, svgText: string, caption: string, extra = ''): string {
  return `<figure id="${id}" data-zoom tabindex="0"${extra}>${svgText}<figcaption>${caption}</figcaption></figure>\n`;
}

/** A chart with a visible heading (the same words as its SVG title). */
function chart(id: string, heading: string, svgText: string, caption: string): string {
  return `<h3 id="${id}-h">${esc(heading)}</h3>` + figure(id, svgText, caption, ` aria-labelledby="${id}-h"`);
}

function mcmpCharts(mcmp: McmpAnalysis | undefined, t0: number, span: number): string {
  if (mcmp === undefined || mcmp.clusters.length === 0) return '';
  const palette = ['#1f5fa8', '#2e7d32', '#a15c00', '#6a1b9a', '#00695c', '#b3261e', '#37474f', '#ad1457'];
  let out = '';
  mcmp.clusters.slice(0, 4).forEach((cl, k) => {
    // Every point the view kept: a node's first LOAD_HEAD and last ones (cluster.ts), the ones between
    // drawn as a gap.
    const series: Series[] = cl.nodes.filter((nd) => nd.loadHistory.length > 0).slice(0, 8).map((nd, j) => {
      const s: Series = {
        name: nd.jvmRoute,
        color: palette[j % palette.length]!,
        points: nd.loadHistory.map((p) => ({ t: p.ts - t0, v: p.load, hover: `${nd.jvmRoute}: load ${p.load} (${p.answer}) at +${dur(p.ts - t0)}, frames ${p.frames.join(', ')}` })),
      };
      const before = nd.loadHistory[LOAD_HEAD - 1];
      const after = nd.loadHistory[LOAD_HEAD];
      if (nd.loadHistoryDropped !== undefined && before !== undefined && after !== undefined) {
        s.gap = { at: LOAD_HEAD, label: `${nd.jvmRoute}: ${nd.loadHistoryDropped} load point(s) between +${dur(before.ts - t0)} and +${dur(after.ts - t0)} not kept` };
      }
      return s;
    });
    const gapped = series.filter((s) => s.gap !== undefined).length;
    const changes = cl.changes.slice(0, 300).map((c) => ({ t: c.ts - t0, label: `${c.node ? c.node + ': ' : ''}${c.what} (+${dur(c.ts - t0)})` }));
    if (!series.length && !changes.length) return;
    const svgText = stepChart(`mcmp${k}`, `MCMP load factor per node, httpd ${cl.server}`, series, span, -1, 100, 'load factor', changes);
    out += chart(`chart-mcmp-${k}`, `MCMP load factor per node (httpd ${cl.server})`, svgText, `Load factor each node sent in STATUS (−1 broken, 0 standby) as httpd ${esc(cl.server)} received it; triangles on the axis are node state changes (${cl.changes.length}${cl.changes.length > 300 ? ', first 300 drawn' : ''}).${gapped > 0 ? ` For ${gapped} node(s) only the first ${LOAD_HEAD} and the last ${LOAD_TAIL} load points were kept; the time between is shaded and the line broken.` : ''}`);
  });
  return out;
}

function captureCharts(m: CaptureReportModel): string {
  const a = m.capture.analysis;
  const ajp = ajpOf(m);
  const t0 = a.run.firstTs ?? 0;
  const span = Math.max(0.001, (a.run.lastTs ?? t0) - t0);
  let out = '';
  if (ajp !== undefined && ajp.requestList.length > 0) {
    const rows = ajp.requestList;
    const left = ajp.requestsDropped ? ` The request list keeps the first ${rows.length} requests (${ajp.requestsDropped} more not kept).` : '';
    const pts: Point[] = rows.filter((r) => r.latency !== null).map((r) => ({ t: r.ts - t0, v: r.latency ?? 0, color: statusColor(r.outcome === 'end-response' ? r.status : null), hover: `stream ${r.stream} request ${r.cycle}: ${r.method ?? '?'} ${r.uri ?? '?'} → ${r.status ?? 'no status'} in ${dur(r.latency ?? 0)}, frames ${r.frames.slice(0, 8).join(', ')}` }));
    out += chart('chart-latency', 'Request latency over time', scatterOverTime('latency', 'Request latency over time', pts, span, 'latency', HTML_LIMITS.points), `Each dot a request, FORWARD_REQUEST to END_RESPONSE, coloured by status.${left}`);
    const hist = LATENCY_BUCKETS.map((b) => ({ label: b.label, ok: 0, bad: 0 }));
    for (const r of rows) if (r.latency !== null) (failed(r) ? hist[latencyBucket(r.latency)]!.bad++ : hist[latencyBucket(r.latency)]!.ok++);
    out += chart('chart-latency-dist', 'Latency distribution', barChart('latdist', 'Latency distribution', hist.map((h) => ({ label: h.label, parts: [{ v: h.ok, color: '#2e7d32', name: 'answered' }, { v: h.bad, color: '#b3261e', name: 'failed' }] })), 'requests', `${pts.length} requests with a latency in ${LATENCY_BUCKETS.length} buckets.`), 'Requests per latency bucket; red: 5xx, no status, or the cycle did not end with END_RESPONSE.');
    const nb = 40;
    const bins = Array.from({ length: nb }, (_, k) => ({ label: `+${dur((k * span) / nb)}`, ok: 0, bad: 0 }));
    for (const r of rows) {
      const b = bins[Math.min(nb - 1, Math.max(0, Math.floor(((r.ts - t0) / span) * nb)))]!;
      if (failed(r)) b.bad++;
      else b.ok++;
    }
    out += chart('chart-rate', 'Requests and errors per interval', barChart('rate', 'Requests and errors per interval', bins.map((b) => ({ label: b.label, parts: [{ v: b.ok, color: '#2e7d32', name: 'answered' }, { v: b.bad, color: '#b3261e', name: 'failed' }] })), 'requests', `${nb} intervals of ${dur(span / nb)}.`), `Requests per ${dur(span / nb)} interval; red: failed (5xx, no status, not ended).`);
    const backends = perBackend(ajp).slice(0, 20);
    out += chart('chart-backends', 'Requests and failures per backend', hbarChart('backends', 'Requests and failures per backend (AJP container endpoint)', backends, `${backends.length} backends.`), 'Requests per container endpoint seen in the capture; red: failed. (Per-worker counts from access logs or JkRequestLog are not part of this report.)');
  }
  if (ajp !== undefined) {
    const rtt: Point[] = [];
    for (const c of ajp.connectionList) {
      const storyRtts = c.events.filter((e) => e.kind === 'cping');
      if (storyRtts.length) {
        for (const e of storyRtts) {
          const ms = /([\d.]+) ms/.exec(e.text);
          if (ms) rtt.push({ t: e.ts - t0, v: Number(ms[1]) / 1000, color: '#6a1b9a', hover: `stream ${c.stream}: ${e.text}, frames ${e.frames.join(', ')}` });
        }
      } else if (c.cpingRtt) rtt.push({ t: c.startTs - t0, v: c.cpingRtt.avg, color: '#6a1b9a', hover: `stream ${c.stream}: CPing RTT min ${dur(c.cpingRtt.min)}, avg ${dur(c.cpingRtt.avg)}, max ${dur(c.cpingRtt.max)} (${c.cpongs} CPONG)` });
    }
    if (rtt.length) out += chart('chart-cping', 'CPing/CPong round trip time', scatterOverTime('cping', 'CPing/CPong round trip time', rtt, span, 'RTT', HTML_LIMITS.points), 'Each dot a CPing answered by a CPong (or a connection\'s average where its story was not kept).');
  }
  out += mcmpCharts((a.sections as { mcmp?: McmpAnalysis }).mcmp, t0, span);
  return out;
}

function logTs(e: Evidence): number | undefined {
  if (e.source !== 'log' || e.ts === undefined) return undefined;
  const t = Date.parse(e.ts);
  return Number.isFinite(t) ? t / 1000 : undefined;
}

function inputsSection(m: CaptureReportModel): string {
  const rows = inputRows(m);
  let s = `<section id="inputs" aria-labelledby="inputs-h"><h2 id="inputs-h">Inputs</h2><table><thead><tr><th scope="col">input</th><th scope="col">kind</th><th scope="col">format</th><th scope="col">read</th><th scope="col">from</th><th scope="col">to</th></tr></thead><tbody>`;
  for (const r of rows) s += `<tr><td><code>${esc(r.path)}</code></td><td>${r.kind}</td><td>${esc(r.format)}</td><td>${esc(r.read)}</td><td>${esc(r.from ?? '')}</td><td>${esc(r.to ?? '')}</td></tr>`;
  s += '</tbody></table>';
  const cap = captureSection(m.capture.analysis.run, m.capture.name);
  const ajp = ajpOf(m);
  s += `<table><caption class="left">The capture</caption><tbody><tr><th scope="row">packets</th><td>${cap.packets} (${cap.tcpPackets} TCP)</td></tr><tr><th scope="row">time span</th><td>${esc(dur(cap.durationSeconds))}</td></tr><tr><th scope="row">TCP streams</th><td>${cap.tcpStreams}</td></tr>`;
  if (ajp !== undefined) {
    const sc = Object.entries(statusCounts(ajp.requestList)).map(([k, v]) => `${k} ${v}`).join(', ');
    s += `<tr><th scope="row">AJP connections</th><td>${ajp.connections}</td></tr><tr><th scope="row">AJP requests</th><td>${ajp.requests}${sc ? ` (${esc(sc)}${ajp.requestsDropped ? `, of the first ${ajp.requestList.length}` : ''})` : ''}</td></tr>`;
    const vc = Object.entries(ajp.violationCounts);
    if (vc.length) s += `<tr><th scope="row">protocol violations</th><td>${esc(vc.map(([k, v]) => `${k} ${v}`).join(', '))}</td></tr>`;
  }
  s += '</tbody></table>';
  if (m.warnings.length) s += `<h3>Warnings</h3><ul>${m.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  if (m.notices.length) s += `<h3>Notices</h3>${m.notices.map((x) => `<p class="notice">${esc(x.text)}</p>`).join('')}`;
  return s + '</section>\n';
}

function footerText(showSecrets: boolean): string {
  return `Generated by ajp-inspect ${TOOL_VERSION}. ${showSecrets ? '<strong>This report was written with --show-secrets: it may hold cookies, Authorization values and the AJP secret. Do not attach it to a public ticket.</strong>' : 'Secrets, cookies, Authorization values and session ids are redacted (run with --show-secrets to reveal them).'} This page loads nothing from the network.`;
}

function noneText(m: CaptureReportModel): string {
  const noAjp = m.notices.find((x) => x.kind === 'no-ajp');
  return noAjp !== undefined ? noAjp.text : `no root cause found in this capture${m.withLogs ? ' and these logs' : ''}.`;
}

/** The capture report as one HTML page. */
export function renderCaptureHtml(m: CaptureReportModel): string {
  const findings = m.findings ?? [];
  const a = m.capture.analysis;
  const ajp = ajpOf(m);
  const none = noneText(m);
  const t0 = a.run.firstTs ?? 0;
  const show = ajp === undefined ? { shown: [], left: 0, named: new Set<number>() } : connectionsToShow(ajp, findings, HTML_LIMITS.diagrams);
  const drawn = new Set(show.shown.map((c) => c.stream));
  let main = findingsSection(findings, none, drawn);

  // Timeline: the connections in findings first, each row's cycles sampled to a bounded number.
  if (ajp !== undefined && ajp.connectionList.length > 0 && a.run.firstTs !== undefined) {
    const tl = connectionsToShow(ajp, findings, HTML_LIMITS.timelineRows);
    const rows = tl.shown.sort((x, y) => x.startTs - y.startTs).map((c) => {
      if (c.cycles.length <= HTML_LIMITS.cyclesPerRow) return c;
      const step = Math.ceil(c.cycles.length / HTML_LIMITS.cyclesPerRow);
      return { ...c, cycles: c.cycles.filter((_, k) => k % step === 0) };
    });
    const markers: TimelineMarker[] = [];
    findings.forEach((f, i) => {
      for (const e of f.evidence.slice(0, 50)) {
        if (e.source === 'capture') markers.push({ ts: e.ts, row: e.stream, label: `finding ${i + 1} ${f.id}: ${e.detail}`, color: '#b3261e' });
        else {
          const ts = logTs(e);
          if (ts !== undefined) markers.push({ ts, row: 'logs', label: `finding ${i + 1} ${f.id}: ${e.path}:${e.line} ${e.text.slice(0, 200)}`, color: '#a15c00' });
        }
      }
    });
    const tlFig = captureTimeline({ id: 'tl', connections: rows, firstTs: t0, lastTs: a.run.lastTs ?? t0, markers: markers.filter((x) => x.row === 'logs' || rows.some((c) => c.stream === x.row)), left: tl.left });
    main += `<section id="timeline" aria-labelledby="timeline-h"><h2 id="timeline-h">Capture timeline</h2>${figure('timeline-fig', tlFig.svg, `Axis: +${dur(tlFig.from)} to +${dur(tlFig.to)} of a ${dur(Math.max(0, (a.run.lastTs ?? t0) - t0))} capture. One row per AJP connection (${rows.length} of ${ajp.connections}${tl.left ? `; ${tl.left} not drawn, those the findings name come first` : ''}); bars are request cycles coloured by status, purple ticks CPings, red crosses resets, diamonds the findings' evidence${m.withLogs ? ' (log lines on the "logs" row, on their own clock: no offset applied)' : ''}. Hover for frames.`)}</section>\n`;
  }
  const charts = captureCharts(m);
  if (charts) main += `<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>\n${charts}</section>\n`;

  if (ajp !== undefined && ajp.connectionList.length > 0) {
    main += `<section id="connections" aria-labelledby="connections-h"><h2 id="connections-h">AJP connections</h2>`;
    main += `<p>${show.shown.length} of ${ajp.connections} connection${ajp.connections === 1 ? '' : 's'} drawn${show.left ? ` (${show.left} left out; those the findings name come first, then those with violations, errors or resets)` : ''}. Hover a row for its frame numbers and time; click or press Enter on a diagram to zoom.</p>`;
    main += `<p id="controls" class="controls" hidden><label for="filter">Filter connections (stream, address, message):</label> <input id="filter" type="search" autocomplete="off"></p>\n`;
    for (const c of show.shown) {
      const d = sequenceDiagram(c, { id: `s${c.stream}`, maxRows: HTML_LIMITS.rowsPerDiagram });
      const tags = [show.named.has(c.stream) ? 'named in the findings' : '', c.violations.length ? `${c.violations.length + c.violationsDropped} violation(s)` : '', d.fromStory ? '' : 'drawn from its request cycles (story not kept)', d.left ? `${d.left} rows left out` : ''].filter(Boolean).join('; ');
      const search = `stream ${c.stream} ${c.webServer.addr}:${c.webServer.port} ${c.container.addr}:${c.container.port} ${c.events.map((e) => e.name).join(' ')}`.toLowerCase();
      main += `<h3 id="conn-${c.stream}-h">tcp.stream ${c.stream}</h3>` + figure(`conn-${c.stream}`, d.svg, `tcp.stream ${c.stream}: ${c.requests} request${c.requests === 1 ? '' : 's'}, ${c.cpings} CPing, frames ${c.firstFrame}..${c.lastFrame}, ended ${c.end}${tags ? ` — ${esc(tags)}` : ''}. Wireshark: <code class="filter">tcp.stream eq ${c.stream}</code>`, ` class="conn" data-search="${esc(search.slice(0, 2000))}" aria-labelledby="conn-${c.stream}-h"`);
    }
    main += '</section>\n';
  }
  main += inputsSection(m);
  const nav: Array<[string, string]> = [['findings', 'Root causes']];
  if (main.includes('id="timeline"')) nav.push(['timeline', 'Timeline']);
  if (charts) nav.push(['charts', 'Charts']);
  if (main.includes('id="connections"')) nav.push(['connections', 'Connections']);
  nav.push(['inputs', 'Inputs']);
  return page(`ajp-inspect report: ${m.capture.name}`, verdictParts(findings, none), nav, main, footerText(a.options.showSecrets));
}

/** The diagnosis of logs (and a capture) as one HTML page. */
export function renderDiagnosisHtml(d: DiagnosisModel): string {
  const f = d.result.findings;
  const none = d.result.matched === 0 ? 'no root cause found: nothing in these lines names a message ajp-inspect knows.' : 'no root cause found in these logs.';
  let main = findingsSection(f, none, new Set());
  const rows = f.map((x, i) => ({
    label: `${i + 1}. ${x.id}`,
    points: x.evidence.slice(0, 50).flatMap((e) => {
      if (e.source === 'config') return [];
      const ts = e.source === 'capture' ? e.ts : logTs(e);
      return ts === undefined ? [] : [{ ts, label: e.source === 'log' ? `${e.path}:${e.line} ${e.text.slice(0, 200)}` : `stream ${e.stream}: ${e.detail}`, color: SEV_COLOR[x.severity] }];
    }),
  }));
  if (rows.some((r) => r.points.length > 0)) main += `<section id="timeline" aria-labelledby="timeline-h"><h2 id="timeline-h">Evidence timeline</h2>${figure('timeline-fig', evidenceTimeline('etl', rows), 'When each finding\'s evidence happened (log times as the logs wrote them, capture times as captured). Hover for the line.')}</section>\n`;
  main += `<section id="inputs" aria-labelledby="inputs-h"><h2 id="inputs-h">Read</h2><table><thead><tr><th scope="col">file</th><th scope="col">lines</th><th scope="col">dialects</th><th scope="col">from</th><th scope="col">to</th><th scope="col">unrecognised</th></tr></thead><tbody>`;
  for (const s of d.summaries) {
    const dialects = Object.entries(s.byDialect).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ');
    const iso = (t: number | undefined): string => (t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString());
    main += `<tr><td><code>${esc(s.path === '-' ? 'stdin' : s.path)}</code></td><td>${s.lines}</td><td>${esc(dialects || 'none recognised')}</td><td>${iso(s.firstTs)}</td><td>${iso(s.lastTs)}</td><td>${s.unrecognised}</td></tr>`;
  }
  main += '</tbody></table>';
  const cap = d.report.inputs.find((i) => i.kind === 'capture');
  if (cap) main += `<p>Capture read with the logs: <code>${esc(cap.path)}</code> (${esc(cap.format)}).</p>`;
  if (d.result.notEvaluated.length) main += `<details><summary>Rules not evaluated (${d.result.notEvaluated.length})</summary><ul>${d.result.notEvaluated.map((x) => `<li><code>${esc(x.id)}</code>: ${esc(x.reason)}</li>`).join('')}</ul></details>`;
  main += '</section>\n';
  const nav: Array<[string, string]> = [['findings', 'Root causes']];
  if (main.includes('id="timeline"')) nav.push(['timeline', 'Evidence timeline']);
  nav.push(['inputs', 'Read']);
  return page('ajp-inspect diagnosis', verdictParts(f, none), nav, main, footerText(false));
}

/** `-T html`: one self-contained page (write it with -o report.html). */
export const htmlRenderer: Renderer = {
  format: 'html',
  describe: 'one self-contained HTML page with diagrams (use -o report.html)',
  wantsStories: true,
  capture: (m) => renderCaptureHtml(m),
  diagnosis: (m) => renderDiagnosisHtml(m),
};
