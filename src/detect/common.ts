/** Small helpers the capture detectors share. */
import type { AjpConnection } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';

export function ev(base: CaptureEvidence, kind: string, detail: string, fields?: CaptureEvidence['fields']): CaptureEvidence {
  const out: CaptureEvidence = { source: 'capture', kind, stream: base.stream, frames: base.frames, ts: base.ts, detail };
  const f = { ...base.fields, ...fields };
  if (Object.keys(f).length > 0) out.fields = f;
  return out;
}

export function hostPort(x: { addr: string; port: number }): string {
  return x.addr.includes(':') ? `[${x.addr}]:${x.port}` : `${x.addr}:${x.port}`;
}

export function endpoints(c: Pick<AjpConnection, 'webServer' | 'container'>): Record<string, string> {
  return { webServer: hostPort(c.webServer), container: hostPort(c.container) };
}

/** Seconds with one decimal ("1.0 s"); below a second with ms precision. */
export function secs(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`;
}

/**
 * A connection as the detectors see it when it ends: its summary and facts, the request cycles its
 * violations refer to (not every cycle: a pooled connection may carry millions), and what they need
 * of the others.
 */
export interface ConnView extends AjpConnection {
  /** First frame of its first request cycle (null: none), for "was there a request before this CPING". */
  firstCycleFrame: number | null;
  /** Index of its last request cycle (0: none). */
  lastCycleIndex: number;
}

/** The request cycle a violation belongs to (fields.cycle, 1-based), when the connection still lists it. */
export function cycleOf(c: AjpConnection | undefined, v: CaptureEvidence): AjpConnection['cycles'][number] | undefined {
  const n = v.fields?.cycle;
  if (c === undefined || typeof n !== 'number') return undefined;
  return c.cycles.find((y) => y.index === n);
}

/** Index of the first element of the ascending `xs` with key ≥ t (xs.length when none). */
export function lowerBound<T>(xs: readonly T[], t: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(xs[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
