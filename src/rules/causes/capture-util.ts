/**
 * Helpers for the capture side of the rules (not a rule): grouping detect/ evidence and wording what
 * the capture shows (times in UTC, frame numbers a Wireshark user can jump to).
 */
import type { CaptureEvidence } from '../../util/evidence.js';
import { isDateMs } from '../../util/clock.js';
import { maxOf, minOf } from '../../util/append.js';

/** Evidence grouped by a field (e.g. the container endpoint), in first-seen order. */
export function groupByField(items: readonly CaptureEvidence[], field: string): Map<string, CaptureEvidence[]> {
  const out = new Map<string, CaptureEvidence[]>();
  for (const c of items) {
    const k = String(c.fields?.[field] ?? '?');
    let arr = out.get(k);
    if (!arr) out.set(k, (arr = []));
    arr.push(c);
  }
  return out;
}

function hms(ts: number): string {
  return isDateMs(ts * 1000) ? new Date(ts * 1000).toISOString().slice(11, 23) : ts.toFixed(3);
}

/** " at 11:00:31.400 UTC" / " between … and … UTC" over the evidence's capture times. */
export function captureSpan(items: readonly CaptureEvidence[]): string {
  if (!items.length) return '';
  const lo = minOf(items.map((c) => c.ts));
  const hi = maxOf(items.map((c) => c.ts));
  return hi - lo < 0.001 ? ` at ${hms(lo)} UTC` : ` between ${hms(lo)} and ${hms(hi)} UTC`;
}

/** "frames 27, 29, 34 …" — the first few frames of the evidence items. */
export function framesOf(items: readonly CaptureEvidence[], max = 6): string {
  const all = [...new Set(items.flatMap((c) => c.frames))].sort((a, b) => a - b);
  return `${all.length === 1 ? 'frame' : 'frames'} ${all.slice(0, max).join(', ')}${all.length > max ? ' …' : ''}`;
}

/** A numeric field of each item, without nulls. */
export function numbers(items: readonly CaptureEvidence[], field: string): number[] {
  return items.map((c) => c.fields?.[field]).filter((x): x is number => typeof x === 'number');
}

/** "1.0 s" or "1.0–3.0 s". */
export function secondsRange(xs: readonly number[]): string {
  if (!xs.length) return '';
  const lo = minOf(xs);
  const hi = maxOf(xs);
  return hi - lo < 0.05 ? `${lo.toFixed(1)} s` : `${lo.toFixed(1)}–${hi.toFixed(1)} s`;
}

/** Items whose times are within `windowS` of another item of the list (a burst, not a lone event). */
export function inBursts(items: readonly CaptureEvidence[], windowS: number): CaptureEvidence[] {
  return items.filter((a) => items.some((b) => b !== a && b.stream !== a.stream && Math.abs(b.ts - a.ts) <= windowS));
}
