/**
 * Charts of the capture, as inline SVG: latency over time and its distribution, requests and errors
 * per interval and per backend, CPing round trips, MCMP node load over time. Each takes plain data
 * (points, counts) and draws at most a bounded number of marks, so a big capture gives a small page.
 */
import { dur, esc, n, scale, svg, ticks, timeAxis } from './svg.js';
import { maxOf } from '../../util/append.js';

const W = 860;
const H = 240;
const L = 64;
const R = 16;
const T = 14;
const B = 44;

function yAxis(y: (v: number) => number, lo: number, hi: number, fmt: (v: number) => string, label: string): string {
  let out = `<g class="axis"><line x1="${L}" y1="${n(y(lo))}" x2="${L}" y2="${n(y(hi))}" stroke="#555"/>`;
  for (const v of ticks(lo, hi, 4)) out += `<line x1="${L - 4}" y1="${n(y(v))}" x2="${W - R}" y2="${n(y(v))}" stroke="#e5e5e5"/><text x="${L - 6}" y="${n(y(v) + 4)}" text-anchor="end">${esc(fmt(v))}</text>`;
  return out + `<text x="12" y="${n((y(lo) + y(hi)) / 2)}" transform="rotate(-90 12 ${n((y(lo) + y(hi)) / 2)})" text-anchor="middle">${esc(label)}</text></g>`;
}

export interface Point {
  /** Seconds since the first packet. */
  t: number;
  v: number;
  color: string;
  hover: string;
}

/** A scatter over time (latency of each request, CPing RTT of each connection), at most `max` points drawn. */
export function scatterOverTime(id: string, title: string, points: readonly Point[], span: number, yLabel: string, max = 2000): string {
  const step = Math.max(1, Math.ceil(points.length / max));
  const drawn = points.filter((_, k) => k % step === 0);
  const hi = Math.max(maxOf(drawn.map((p) => p.v)), 0.001);
  const x = scale(0, Math.max(span, 0.001), L, W - R);
  const y = scale(0, hi, H - B, T);
  let body = yAxis(y, 0, hi, (v) => dur(v), yLabel) + timeAxis(x, 0, Math.max(span, 0.001), H - B);
  for (const p of drawn) body += `<circle cx="${n(x(p.t))}" cy="${n(y(p.v))}" r="2.5" fill="${p.color}"><title>${esc(p.hover)}</title></circle>`;
  const desc = `${points.length} points${step > 1 ? `, every ${step}th drawn (${drawn.length})` : ''}; highest ${dur(hi)}.`;
  return svg(id, W, H, title, desc, body, 'fig chart');
}

export interface Bar {
  label: string;
  /** Stacked parts, bottom first. */
  parts: Array<{ v: number; color: string; name: string }>;
}

/** Vertical stacked bars (histograms, counts per interval). */
export function barChart(id: string, title: string, bars: readonly Bar[], yLabel: string, desc: string): string {
  const hi = Math.max(1, ...bars.map((b) => b.parts.reduce((s, p) => s + p.v, 0)));
  const y = scale(0, hi, H - B, T);
  const bw = (W - L - R) / Math.max(1, bars.length);
  let body = yAxis(y, 0, hi, (v) => n(v, 0), yLabel);
  const every = Math.max(1, Math.ceil(bars.length / 12));
  bars.forEach((b, k) => {
    const x0 = L + k * bw + 1;
    let base = 0;
    for (const p of b.parts) {
      if (p.v > 0) body += `<rect x="${n(x0)}" y="${n(y(base + p.v))}" width="${n(Math.max(1, bw - 2))}" height="${n(y(base) - y(base + p.v))}" fill="${p.color}"><title>${esc(`${b.label}: ${p.v} ${p.name}`)}</title></rect>`;
      base += p.v;
    }
    if (k % every === 0) body += `<text x="${n(x0 + bw / 2)}" y="${H - B + 15}" text-anchor="middle" class="tick">${esc(b.label)}</text>`;
  });
  body += `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#555"/>`;
  return svg(id, W, H, title, desc, body, 'fig chart');
}

/** Horizontal bars, one per named thing (backend, worker): requests with the failed part in red. */
export function hbarChart(id: string, title: string, rows: ReadonlyArray<{ label: string; total: number; bad: number }>, desc: string): string {
  const rh = 22;
  const h = T + rows.length * rh + 30;
  const lw = 200;
  const hi = Math.max(1, ...rows.map((r) => r.total));
  const x = scale(0, hi, lw, W - R - 60);
  let body = '';
  rows.forEach((r, k) => {
    const yy = T + k * rh;
    body += `<text x="${lw - 6}" y="${yy + 14}" text-anchor="end">${esc(r.label)}</text>`;
    body += `<rect x="${lw}" y="${yy + 3}" width="${n(x(r.total) - lw)}" height="14" fill="#2e7d32"><title>${esc(`${r.label}: ${r.total} requests`)}</title></rect>`;
    if (r.bad > 0) body += `<rect x="${lw}" y="${yy + 3}" width="${n(Math.max(2, x(r.bad) - lw))}" height="14" fill="#b3261e"><title>${esc(`${r.label}: ${r.bad} failed`)}</title></rect>`;
    body += `<text x="${n(x(r.total) + 6)}" y="${yy + 14}">${r.total}${r.bad ? ` (${r.bad} failed)` : ''}</text>`;
  });
  return svg(id, W, h, title, desc, body, 'fig chart');
}

export interface Series {
  name: string;
  color: string;
  /** Steps: value from t until the next point. */
  points: Array<{ t: number; v: number; hover: string }>;
  /**
   * Points not kept between points[at - 1] and points[at] (the MCMP view keeps a node's first and
   * last load points): drawn as a gap, no step across the time nothing is known of, `label` its hover.
   */
  gap?: { at: number; label: string };
}

/** Step lines over time (MCMP load factor per node), with change markers on the axis. */
export function stepChart(id: string, title: string, series: readonly Series[], span: number, yLo: number, yHi: number, yLabel: string, changes: ReadonlyArray<{ t: number; label: string }>): string {
  const x = scale(0, Math.max(span, 0.001), L, W - R - 120);
  const y = scale(yLo, yHi, H - B, T);
  let body = yAxis(y, yLo, yHi, (v) => n(v, 0), yLabel) + timeAxis(x, 0, Math.max(span, 0.001), H - B);
  let gaps = 0;
  series.forEach((s, k) => {
    const gap = s.gap !== undefined && s.gap.at > 0 && s.gap.at < s.points.length ? s.gap : undefined;
    if (gap !== undefined) {
      // the time between the last point before the gap and the first after it, shaded, the line broken
      const x0 = x(s.points[gap.at - 1]!.t);
      const x1 = x(s.points[gap.at]!.t);
      body += `<rect x="${n(x0)}" y="${T}" width="${n(Math.max(1, x1 - x0))}" height="${H - B - T}" fill="${s.color}" fill-opacity="0.08" stroke="${s.color}" stroke-dasharray="3 3" stroke-opacity="0.5"><title>${esc(gap.label)}</title></rect>`;
      gaps++;
    }
    let d = '';
    s.points.forEach((p, j) => {
      const next = s.points[j + 1]?.t ?? span;
      if (gap !== undefined && j === gap.at - 1) d += `${j === 0 ? 'M' : 'L'}${n(x(p.t))},${n(y(p.v))}`;
      else d += `${j === 0 || (gap !== undefined && j === gap.at) ? 'M' : 'L'}${n(x(p.t))},${n(y(p.v))}H${n(x(next))}`;
    });
    body += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`;
    for (const p of s.points) body += `<circle cx="${n(x(p.t))}" cy="${n(y(p.v))}" r="3" fill="${s.color}"><title>${esc(p.hover)}</title></circle>`;
    body += `<rect x="${W - R - 110}" y="${T + k * 16}" width="10" height="10" fill="${s.color}"/><text x="${W - R - 96}" y="${T + k * 16 + 9}">${esc(s.name)}</text>`;
  });
  for (const c of changes) body += `<path d="M${n(x(c.t))},${H - B} l-4,-7 h8z" fill="#6a1b9a"><title>${esc(c.label)}</title></path>`;
  const gapped = gaps > 0 ? ` ${gaps} series with points left out in the middle (shaded, the line broken).` : '';
  return svg(id, W, H, title, `${series.length} series; ${changes.length} state changes marked on the time axis.${gapped}`, body, 'fig chart');
}

/** Latency buckets as people read them (log-spaced). */
export const LATENCY_BUCKETS: ReadonlyArray<{ upTo: number; label: string }> = [
  { upTo: 0.001, label: '<1ms' },
  { upTo: 0.01, label: '1-10ms' },
  { upTo: 0.05, label: '10-50ms' },
  { upTo: 0.1, label: '50-100ms' },
  { upTo: 0.5, label: '0.1-0.5s' },
  { upTo: 1, label: '0.5-1s' },
  { upTo: 5, label: '1-5s' },
  { upTo: 30, label: '5-30s' },
  { upTo: 120, label: '30s-2min' },
  { upTo: Infinity, label: '>2min' },
];

export function latencyBucket(s: number): number {
  return LATENCY_BUCKETS.findIndex((b) => s < b.upTo);
}
