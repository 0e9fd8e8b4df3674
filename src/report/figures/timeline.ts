/**
 * The timeline of the whole capture: one row per AJP connection (the ones chosen by the caller,
 * those in findings first), the connection's life as a grey bar, its request cycles as bars coloured
 * by status, CPings as ticks, resets as red marks, and the findings' evidence on the same time axis:
 * capture evidence on its connection's row, log evidence on a "logs" row (log times are the logs'
 * own clock: no offset is applied).
 */
import type { AjpConnection } from '../../timeline/index.js';
import { dur, esc, n, scale, statusColor, svg, timeAxis } from './svg.js';
import { maxOf, minOf } from '../../util/append.js';

export interface TimelineMarker {
  /** Capture time (epoch seconds, the capture's clock). */
  ts: number;
  /** The row: a tcp.stream, or 'logs'. */
  row: number | 'logs';
  label: string;
  color: string;
}

export interface TimelineInput {
  id: string;
  connections: readonly AjpConnection[];
  /** Capture span (epoch seconds). */
  firstTs: number;
  lastTs: number;
  markers: readonly TimelineMarker[];
  /** Connections not drawn (for the description). */
  left: number;
}

const LABEL = 120;
const PLOT = 820;
const ROW = 16;
const MAX_TICKS = 60;

/** The timeline's SVG and the window its axis covers (seconds since the capture's first packet). */
export function captureTimeline(i: TimelineInput): { svg: string; from: number; to: number } {
  const hasLogs = i.markers.some((m) => m.row === 'logs');
  // The axis covers what is drawn (the rows and the evidence), not the whole capture: in an hour-long
  // capture the connections worth drawing may span seconds. Log evidence may fall outside the capture.
  const times = [...i.markers.map((m) => m.ts), ...i.connections.flatMap((c) => [c.startTs, c.lastTs])].filter(Number.isFinite);
  const lo = times.length ? minOf(times) : i.firstTs;
  const hi = Math.max(times.length ? maxOf(times) : i.lastTs, lo + 0.001);
  const x = scale(lo - i.firstTs, hi - i.firstTs, LABEL, LABEL + PLOT);
  const at = (ts: number): number => x(ts - i.firstTs);
  const rows: Array<number | 'logs'> = [...(hasLogs ? ['logs' as const] : []), ...i.connections.map((c) => c.stream)];
  const y = new Map(rows.map((r, k) => [r, 8 + k * ROW]));
  const h = 8 + rows.length * ROW + 40;
  let body = '';
  rows.forEach((r, k) => {
    const yy = 8 + k * ROW;
    if (k % 2 === 0) body += `<rect x="0" y="${yy}" width="${LABEL + PLOT + 10}" height="${ROW}" fill="#f6f6f6"/>`;
    body += `<text x="4" y="${yy + 12}" class="rl">${r === 'logs' ? 'logs' : `stream ${r}`}</text>`;
  });
  for (const c of i.connections) {
    const yy = y.get(c.stream)! + 3;
    const x1 = at(c.startTs);
    const x2 = Math.max(x1 + 1, at(c.lastTs));
    body += `<g><title>${esc(`tcp.stream ${c.stream}: ${c.requests} requests, ${c.cpings} CPing, ${dur(c.duration)}, ended ${c.end}`)}</title><rect x="${n(x1)}" y="${yy + 4}" width="${n(x2 - x1)}" height="2" fill="#9e9e9e"/></g>`;
    for (const cy of c.cycles) {
      const a = at(cy.ts);
      const w = Math.max(2, at(cy.ts + (cy.total ?? Math.max(0, c.lastTs - cy.ts))) - a);
      const col = cy.outcome === 'end-response' ? statusColor(cy.status) : '#b3261e';
      body += `<rect x="${n(a)}" y="${yy}" width="${n(w)}" height="10" fill="${col}" opacity="0.85"><title>${esc(`stream ${c.stream} request ${cy.index}: ${cy.method ?? '?'} ${cy.uri ?? '?'} → ${cy.status ?? 'no status'} (${cy.outcome}) ${cy.total !== null ? dur(cy.total) : ''}, frames ${cy.firstFrame}..${cy.lastFrame ?? '?'}`)}</title></rect>`;
    }
    // CPings: at most MAX_TICKS per row (a pooled connection pings every few seconds for hours).
    const pings = c.events.filter((e) => e.kind === 'ajp' && e.name === 'CPING');
    const every = Math.max(1, Math.ceil(pings.length / MAX_TICKS));
    for (const e of pings.filter((_, k) => k % every === 0)) {
      body += `<line x1="${n(at(e.ts))}" y1="${yy - 1}" x2="${n(at(e.ts))}" y2="${yy + 11}" stroke="#6a1b9a" stroke-width="1"><title>CPING frame ${e.frames.join(', ')}</title></line>`;
    }
    if (c.facts.rstBy !== null) body += `<path d="M${n(x2 - 4)},${yy} l8,10 M${n(x2 + 4)},${yy} l-8,10" stroke="#b3261e" stroke-width="2"><title>RST by the ${c.facts.rstBy}</title></path>`;
  }
  for (const m of i.markers) {
    const yy = y.get(m.row);
    if (yy === undefined) continue;
    const xx = at(m.ts);
    body += `<path d="M${n(xx)},${yy + 1} l5,7 l-5,7 l-5,-7z" fill="${m.color}" stroke="#fff" stroke-width="0.5"><title>${esc(m.label)}</title></path>`;
  }
  body += timeAxis(x, lo - i.firstTs, hi - i.firstTs, 8 + rows.length * ROW + 4);
  const desc = `${i.connections.length} connections drawn${i.left ? ` (${i.left} more not drawn)` : ''}, from +${dur(lo - i.firstTs)} to +${dur(hi - i.firstTs)} of the capture; request bars coloured by status (green 2xx, blue 3xx, amber 4xx, red 5xx or no answer); diamonds are the findings' evidence.`;
  return { svg: svg(i.id, LABEL + PLOT + 10, h, 'Capture timeline: AJP connections and request cycles over time', desc, body, 'fig timeline'), from: lo - i.firstTs, to: hi - i.firstTs };
}

export interface EvidenceRow {
  label: string;
  points: ReadonlyArray<{ ts: number; label: string; color: string }>;
}

/** Evidence over time, one row per finding (the diagnosis of logs: when each root cause showed). */
export function evidenceTimeline(id: string, rows: readonly EvidenceRow[]): string {
  const all = rows.flatMap((r) => r.points.map((p) => p.ts)).filter(Number.isFinite);
  const lo = minOf(all);
  const hi = Math.max(maxOf(all), lo + 0.001);
  const x = scale(0, hi - lo, LABEL + 80, LABEL + PLOT);
  const h = 8 + rows.length * ROW + 40;
  let body = '';
  rows.forEach((r, k) => {
    const yy = 8 + k * ROW;
    if (k % 2 === 0) body += `<rect x="0" y="${yy}" width="${LABEL + PLOT + 10}" height="${ROW}" fill="#f6f6f6"/>`;
    body += `<text x="4" y="${yy + 12}" class="rl">${esc(r.label.length > 34 ? r.label.slice(0, 33) + '…' : r.label)}</text>`;
    for (const p of r.points) if (Number.isFinite(p.ts)) body += `<path d="M${n(x(p.ts - lo))},${yy + 1} l5,7 l-5,7 l-5,-7z" fill="${p.color}" stroke="#fff" stroke-width="0.5"><title>${esc(p.label)}</title></path>`;
  });
  body += timeAxis(x, 0, hi - lo, 8 + rows.length * ROW + 4, `s since ${new Date(lo * 1000).toISOString()}`);
  return svg(id, LABEL + PLOT + 10, h, 'Evidence over time, one row per finding', `${all.length} evidence lines with a time, on one axis.`, body, 'fig timeline');
}
