/**
 * SVG primitives for the report's figures: escaping, an accessible `<svg>` wrapper (role="img",
 * a <title> and <desc> so a screen reader and a hover both say what the figure shows), axes and
 * number formats. Pure functions from numbers and strings to SVG text; nothing here reads a model.
 */

/** Text for an XML/HTML text node or attribute value. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number with at most `d` decimals, no trailing zeros (short SVG coordinates). */
export function n(x: number, d = 1): string {
  if (!Number.isFinite(x)) return '0';
  const s = x.toFixed(d);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Seconds as a person reads them: 850 µs, 12.3 ms, 4.21 s, 3 min 20 s, 2 h 5 min. */
export function dur(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s === 0) return '0 s';
  const a = Math.abs(s);
  if (a < 0.001) return `${n(s * 1e6, 0)} µs`;
  if (a < 1) return `${n(s * 1000, a < 0.01 ? 2 : 1)} ms`;
  if (a < 120) return `${n(s, 2)} s`;
  if (a < 7200) return `${Math.floor(a / 60)} min ${Math.round(a % 60)} s`;
  return `${Math.floor(a / 3600)} h ${Math.round((a % 3600) / 60)} min`;
}

/** An accessible, scalable SVG (`id` unique in the page): its title is what a hover and a screen reader say. */
export function svg(id: string, width: number, height: number, title: string, desc: string, body: string, cls = 'fig'): string {
  return (
    `<svg class="${cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" role="img" aria-labelledby="${id}t ${id}d">` +
    `<title id="${id}t">${esc(title)}</title><desc id="${id}d">${esc(desc)}</desc>${body}</svg>`
  );
}

/** "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function ticks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A linear scale from [d0, d1] onto [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Colour of an HTTP status (and of "no status": the request never got SEND_HEADERS). Contrast ≥ 3:1 on white. */
export function statusColor(status: number | null): string {
  if (status === null) return '#b3261e';
  if (status >= 500) return '#b3261e';
  if (status >= 400) return '#a15c00';
  if (status >= 300) return '#1f5fa8';
  return '#2e7d32';
}

export function statusClass(status: number | null): string {
  if (status === null) return 'none';
  return `${Math.floor(status / 100)}xx`;
}

/** A horizontal time axis at y, with tick labels in seconds since t0. */
export function timeAxis(x: (t: number) => number, lo: number, hi: number, y: number, label = 's since the first packet'): string {
  let out = `<g class="axis"><line x1="${n(x(lo))}" y1="${n(y)}" x2="${n(x(hi))}" y2="${n(y)}" stroke="#555"/>`;
  for (const t of ticks(lo, hi)) out += `<line x1="${n(x(t))}" y1="${n(y)}" x2="${n(x(t))}" y2="${n(y + 4)}" stroke="#555"/><text x="${n(x(t))}" y="${n(y + 15)}" text-anchor="middle">${esc(n(t, 3))}</text>`;
  return out + `<text x="${n(x(hi))}" y="${n(y + 28)}" text-anchor="end">${esc(label)}</text></g>`;
}
