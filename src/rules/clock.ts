/**
 * Clock alignment of logs and a capture read together. The web server's and Tomcat's logs are
 * stamped by their hosts' clocks in the zone --log-tz says; the capture by the capturing host. Events
 * seen on both sides (a refused connect and its errno=111 line, a reset and its "connection reset"
 * line, a request and its log lines) fall at the same instants, so the offset is the difference most
 * capture events share with some log event: a histogram of the differences of every capture time to
 * every log time within a day, its tallest 1-second bin, refined to the median of the differences
 * there. Bounded: at most SAMPLE times of each side take part.
 */
export interface ClockAlignment {
  /** Capture time = log time + offsetMs (ms); 0 when the clocks agree. */
  offsetMs: number;
  /** Half the spread of the differences that support it (ms). */
  uncertaintyMs: number;
  /** Capture events with a log event at that offset (± 1.5 s). */
  support: number;
  /** The offset is applied when the rules compare log and capture times (enough support, one clear peak). */
  applied: boolean;
  /** What a person should know: a whole-hours offset (a wrong --log-tz), inputs that do not overlap in time. */
  warnings: string[];
  /** One line for the report. */
  text: string;
}

const SAMPLE = 2000;
/** Histogram bin (ms): events seen on both sides fall within a few ms of each other on one host, tens of ms across hosts. */
const BIN = 100;
/** A capture event supports an offset when a log line lies within this much of it (ms). */
const NEAR = 250;
const DAY = 26 * 3600 * 1000;

function sample(xs: readonly number[]): number[] {
  if (xs.length <= SAMPLE) return [...xs];
  const out: number[] = [];
  for (let i = 0; i < SAMPLE; i++) out.push(xs[Math.floor((i * xs.length) / SAMPLE)]);
  return out;
}

function hms(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function duration(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(a)} ms`;
  if (a < 60_000) return `${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  const mins = Math.round(a / 60_000);
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}

/**
 * The offset between log times and capture times (both epoch ms), and whether the inputs overlap.
 * `logSpan` / `captureSpan`: first and last time of each side as read (whole files, not only the
 * events that matched).
 */
export function alignClocks(logTimes: readonly number[], captureTimes: readonly number[], logSpan?: { from: number; to: number }, captureSpan?: { from: number; to: number }): ClockAlignment | undefined {
  const L = sample([...logTimes].filter(Number.isFinite).sort((a, b) => a - b));
  const C = sample([...captureTimes].filter(Number.isFinite).sort((a, b) => a - b));
  const ls = logSpan ?? (L.length ? { from: L[0], to: L[L.length - 1] } : undefined);
  const cs = captureSpan ?? (C.length ? { from: C[0], to: C[C.length - 1] } : undefined);
  if (ls === undefined || cs === undefined) return undefined;
  const overlap = ls.from <= cs.to + 2000 && cs.from <= ls.to + 2000;
  // capture events with a log line within NEAR of them at offset o (and the differences, to refine o)
  const near = (o: number): number[] => {
    const diffs: number[] = [];
    for (const c of C) {
      const t = c - o;
      let a = 0;
      let b = L.length;
      while (a < b) {
        const m = (a + b) >> 1;
        if (L[m] < t - NEAR) a = m + 1;
        else b = m;
      }
      let nearest: number | undefined;
      for (let j = a; j < L.length && L[j] <= t + NEAR; j++) if (nearest === undefined || Math.abs(L[j] - t) < Math.abs(nearest - t)) nearest = L[j];
      if (nearest !== undefined) diffs.push(c - nearest);
    }
    return diffs;
  };
  // candidates: the clocks agree; a time-zone mistake (whole quarter hours up to 14 h); the histogram's peak
  const candidates = [0];
  for (let q = -56; q <= 56; q++) if (q !== 0) candidates.push(q * 900_000);
  const bins = new Map<number, number>();
  let lo = 0;
  for (const c of C) {
    while (lo < L.length && L[lo] < c - DAY) lo++;
    for (let j = lo; j < L.length && L[j] <= c + DAY; j++) {
      const b = Math.round((c - L[j]) / BIN);
      bins.set(b, (bins.get(b) ?? 0) + 1);
    }
  }
  let peak: number | undefined;
  let peakN = 0;
  for (const [b, n] of bins) if (n > peakN) [peak, peakN] = [b, n];
  if (peak !== undefined) candidates.push(peak * BIN);
  const scored = candidates.map((o) => ({ o, diffs: near(o) }));
  const atZero = scored[0];
  const best = scored.reduce((x, y) => (y.diffs.length > x.diffs.length ? y : x));
  // the clocks agree unless another offset explains clearly more (twice as many) events
  const chosen = best.diffs.length >= Math.max(3, 2 * atZero.diffs.length) ? best : atZero;
  const diffs = chosen.diffs.sort((a, b) => a - b);
  const support = diffs.length;
  let offsetMs = chosen.o;
  let uncertaintyMs = NEAR;
  if (support) {
    offsetMs = diffs[Math.floor(support / 2)];
    uncertaintyMs = Math.max(1, (diffs[Math.floor((3 * support) / 4)] - diffs[Math.floor(support / 4)]) / 2);
  }
  const runnerUp = Math.max(0, ...scored.filter((x) => Math.abs(x.o - chosen.o) > 2000).map((x) => x.diffs.length));
  const clear = support >= 3 && support >= 1.5 * runnerUp;
  const warnings: string[] = [];
  const near15 = Math.round(offsetMs / 900_000);
  const whole = clear && near15 !== 0 && Math.abs(offsetMs - near15 * 900_000) <= 5000;
  let applied = clear && Math.abs(offsetMs) <= 10 * 60_000;
  let text: string;
  const from = `from ${support} capture event${support === 1 ? '' : 's'} with a log line at the same moment`;
  if (whole) {
    applied = true;
    const behind = offsetMs > 0 ? 'behind' : 'ahead of';
    warnings.push(`the logs' times are ${duration(offsetMs)} ${behind} the capture's (${from}): a wrong --log-tz? (--log-tz takes the UTC offset of the host that wrote the logs, e.g. +01:00); the offset was applied to join them`);
    text = `logs ${duration(offsetMs)} ${behind} the capture (± ${duration(uncertaintyMs)}, ${from}; applied)`;
  } else if (applied) {
    text = Math.abs(offsetMs) < 1000 ? `logs and capture agree within ${duration(Math.max(Math.abs(offsetMs), uncertaintyMs))} (${from})` : `logs ${duration(offsetMs)} ${offsetMs > 0 ? 'behind' : 'ahead of'} the capture (± ${duration(uncertaintyMs)}, ${from}; applied)`;
  } else if (clear) {
    warnings.push(`the logs and the capture line up only with an offset of ${duration(offsetMs)} (${from}), which is implausible for two clocks: are they of the same incident? Not applied`);
    text = `no plausible offset (best ${duration(offsetMs)}, ${from}); not applied`;
  } else text = `no offset could be estimated (${support} capture event${support === 1 ? '' : 's'} matched a log line)`;
  if (!overlap && !whole) {
    warnings.push(`the logs (${hms(ls.from)}–${hms(ls.to)} UTC) and the capture (${hms(cs.from)}–${hms(cs.to)} UTC) do not overlap in time: logs of another incident, or a wrong --log-tz? Their evidence is not joined`);
    applied = false;
  }
  return { offsetMs: applied ? offsetMs : 0, uncertaintyMs, support, applied, warnings, text };
}
