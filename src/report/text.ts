/**
 * Text rendering of the capture summary: a few "key: value" lines and a cli-table3 table of TCP
 * streams. Input is the report's capture section, so text and JSON always say the same thing.
 */
import { boundedTable } from '../util/table.js';
import type { CaptureSection, StreamReport } from './capture.js';
import { isoTime } from '../util/clock.js';

export interface TextOptions {
  color: boolean;
  /** Rows shown in the stream table (default 200); the rest is summarised in one line. */
  maxRows?: number;
}

function isoTimeOf(ts: number): string {
  return isoTime(Math.round(ts * 1000));
}

function seconds(x: number): string {
  return x.toFixed(3);
}

/** "retrans 3, lost 10 B, ooo 1, keep-alive 2, zero-win 1, idle 1, mid-stream". */
export function anomalies(s: StreamReport): string {
  const out: string[] = [];
  const e = s.events;
  const n = (k: string) => e[k] ?? 0;
  if (n('retransmission') > 0) out.push(`retrans ${n('retransmission')}`);
  const lost = s.gapBytes.c2s + s.gapBytes.s2c;
  if (lost > 0) out.push(`lost ${lost} B`);
  if (n('out-of-order') > 0) out.push(`ooo ${n('out-of-order')}`);
  if (n('buffer-limit') > 0) out.push(`buffer-limit ${n('buffer-limit')}`);
  if (n('keep-alive') > 0) out.push(`keep-alive ${n('keep-alive')}`);
  if (n('zero-window') > 0) out.push(`zero-win ${n('zero-window')}`);
  if (n('idle') > 0) out.push(`idle ${n('idle')}`);
  if (s.midStream) out.push('mid-stream');
  return out.join(', ');
}

function ended(s: StreamReport): string {
  // An open stream with endBy set is half-closed: one side sent its FIN.
  if (s.end === 'open') return s.endBy !== undefined ? `open, FIN by ${s.endBy}` : 'open';
  return s.endBy !== undefined ? `${s.end.toUpperCase()} by ${s.endBy}` : s.end.toUpperCase();
}

export function renderCaptureText(c: CaptureSection, warnings: readonly string[], opts: TextOptions): string {
  const lines: string[] = [];
  const fmt = c.format === 'pcap-ns' ? 'pcap (nanosecond timestamps)' : c.format;
  lines.push(`File:        ${c.file}`);
  lines.push(`Format:      ${fmt}${c.gzip ? ', gzip-compressed' : ''}, ${c.byteOrder}-endian`);
  lines.push(`Link types:  ${c.linkTypes.map((l) => `${l.name} (${l.id})`).join(', ') || 'none'}`);
  const other: string[] = [];
  if (c.nonTcpPackets > 0) other.push(`${c.nonTcpPackets} not TCP`);
  if (c.unsupportedLinkPackets > 0) other.push(`${c.unsupportedLinkPackets} on unsupported link types`);
  lines.push(`Packets:     ${c.packets} (${c.tcpPackets} TCP${other.length > 0 ? ', ' + other.join(', ') : ''})`);
  if (c.firstTs !== undefined && c.lastTs !== undefined) {
    lines.push(`Time span:   ${isoTimeOf(c.firstTs)} .. ${isoTimeOf(c.lastTs)} (${seconds(c.durationSeconds)} s)`);
  }
  lines.push(`TCP streams: ${c.tcpStreams}`);
  for (const w of warnings) lines.push(`Warning:     ${w}`);
  if (c.streams.length > 0) {
    // Colours are ours (not cli-table3's, whose colour library looks at the TTY and FORCE_COLOR itself).
    const paint = (code: number, t: string) => (opts.color && t !== '' ? `\x1b[${code}m${t}\x1b[39m` : t);
    const head = ['stream', 'client', 'server', 'pkts c→s', 'bytes c→s', 'pkts s→c', 'bytes s→c', 'start s', 'duration s', 'ended', 'anomalies'];
    const table = boundedTable({
      head: head.map((h) => paint(36, h)),
      style: { head: [], border: [] },
      // No rule between rows: one line per stream.
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    const max = opts.maxRows ?? 200;
    for (const s of c.streams.slice(0, max)) {
      table.push([
        String(s.id),
        s.client + (s.roleFrom === 'handshake' ? '' : '*'),
        s.server,
        String(s.packets.c2s),
        String(s.payloadBytes.c2s),
        String(s.packets.s2c),
        String(s.payloadBytes.s2c),
        seconds(s.start),
        seconds(s.duration),
        s.end === 'rst' ? paint(31, ended(s)) : ended(s),
        paint(33, anomalies(s)),
      ]);
    }
    lines.push(table.toString());
    const hidden = c.tcpStreams - Math.min(max, c.streams.length);
    if (hidden > 0) lines.push(`(${hidden} more streams not shown; --format json lists ${c.streams.length})`);
    if (c.streams.some((s) => s.roleFrom !== 'handshake')) {
      lines.push('* client/server decided by port or first packet (handshake not captured)');
    }
    lines.push('bytes = TCP payload bytes (tcp.len), retransmissions included');
  }
  return lines.join('\n') + '\n';
}
