/**
 * Progress of a long read (a capture, logs) on a terminal: one line on stderr, redrawn at most every
 * 250 ms and only after the read has taken that long (small inputs never flash it), erased at the end
 * so the report starts on a clean screen. Shown only when stderr is a terminal that can erase a
 * line, not with -q, and not when the command's output goes to the same terminal while the
 * input is being read (frames prints as it reads). It has no colours, so NO_COLOR holds.
 */

export interface ProgressSnapshot {
  bytes: number;
  /** Size of the input when known (a regular file; not stdin). */
  total: number | undefined;
  /** What was read so far, in `unit`s (packets, lines). */
  count: number;
  elapsedMs: number;
}

/** 1 decimal below 10, none above: 5.3 MB, 412 MB, 2.1 GB (SI units, as `ls -h --si` and tshark's capinfos). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  if (u === 0) return `${Math.round(v)} B`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v).toString()} ${units[u]}`;
}

/** 987, 12.3k, 456k, 3.2M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const [v, s] = n < 1e6 ? [n / 1e3, 'k'] : [n / 1e6, 'M'];
  return `${v < 10 ? v.toFixed(1) : Math.round(v).toString()}${s}`;
}

/** 9 s, 4 min 05 s, 1 h 02 min. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** `reading: 412 MB of 2.1 GB (19%), 3.2M packets, 206 MB/s, ETA 9 s` (no size, percentage or ETA for stdin). */
export function formatProgress(p: ProgressSnapshot, label = 'reading', unit = 'packets'): string {
  const parts: string[] = [];
  const known = p.total !== undefined && p.total > 0;
  parts.push(known ? `${formatBytes(p.bytes)} of ${formatBytes(p.total ?? 0)} (${Math.min(100, Math.floor((p.bytes / (p.total ?? 1)) * 100))}%)` : formatBytes(p.bytes));
  parts.push(`${formatCount(p.count)} ${unit}`);
  const rate = p.elapsedMs > 0 ? (p.bytes * 1000) / p.elapsedMs : 0;
  if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (known && rate > 0 && p.total !== undefined && p.bytes <= p.total) parts.push(`ETA ${formatDuration((p.total - p.bytes) / rate)}`);
  return `${label}: ${parts.join(', ')}`;
}

/** Whether to show progress at all (see the module comment). */
export function progressWanted(s: {
  stderrTty: boolean;
  stdoutTty: boolean;
  quiet: boolean;
  /** The output goes to stdout (no -o, or -o -). */
  outputToStdout: boolean;
  /** The command writes its output while the capture is being read. */
  streamsOutput: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  if (s.quiet || !s.stderrTty) return false;
  if (s.env.TERM === 'dumb') return false;
  if (s.streamsOutput && s.outputToStdout && s.stdoutTty) return false;
  return true;
}

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

const ERASE = '\r\x1b[2K';

/** The progress line on one stream: `update` as often as you like, `done` once. */
export class ProgressLine {
  private readonly start: number;
  private last: number;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly opts: { intervalMs?: number; delayMs?: number; now?: () => number; label?: string; unit?: string } = {},
  ) {
    this.start = this.now();
    this.last = this.start - (opts.intervalMs ?? 250) + (opts.delayMs ?? 250);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  update(bytes: number, total: number | undefined, count: number): void {
    const t = this.now();
    if (t - this.last < (this.opts.intervalMs ?? 250)) return;
    this.last = t;
    let line = formatProgress({ bytes, total, count, elapsedMs: t - this.start }, this.opts.label, this.opts.unit);
    const width = this.stream.columns;
    if (width !== undefined && width > 1 && line.length > width - 1) line = line.slice(0, width - 1).trimEnd();
    this.stream.write(ERASE + line);
    this.drawn = true;
  }

  /** Erases the line (if one was drawn). */
  done(): void {
    if (this.drawn) this.stream.write(ERASE);
    this.drawn = false;
  }
}
