/**
 * Text rendering of the AJP summary: a table of AJP connections (client, server, requests, CPings,
 * reuse, errors), a table of requests (time, connection, method, URI, status, bytes, latency), frame
 * counts by type, and every violation with its frames and a Wireshark display filter.
 */
import { boundedTable, type Table } from '../util/table.js';
import type { AjpResult } from './types.js';
import { endpoint, notAjp } from './render.js';
import { wiresharkFilter } from '../util/evidence.js';
import { inputSecrets } from '../util/secrets.js';
import { minOf } from '../util/append.js';

export interface AjpTextOptions {
  color: boolean;
  /** Rows per table (default 200); the rest is counted. */
  maxRows?: number;
  /** Capture start, for relative request times (default: the first connection's start). */
  t0?: number;
}

function table(head: string[], color: boolean): Table.Table {
  return boundedTable({
    head,
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

function ms(s: number | null): string {
  return s === null ? '-' : (s * 1000).toFixed(1);
}

export function renderAjpText(r: AjpResult, opts: AjpTextOptions): string {
  const max = opts.maxRows ?? 200;
  const lines: string[] = [];
  lines.push('');
  lines.push(`AJP13:       ${r.connections} connection(s), ${r.requests} request(s)`);
  const counts = Object.entries(r.frames).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  lines.push(`AJP frames:  ${counts.join(', ') || 'none'}`);
  if (r.distinctSecrets > 0) {
    // With --show-secrets the connections carry the values (numbered as in the timelines); otherwise say how to see them.
    const shown = new Map<number, string>();
    for (const c of r.connectionList) c.secret.values?.forEach((v, i) => shown.set(c.secret.ids[i]!, v));
    lines.push(
      shown.size > 0
        ? `AJP secret:  ${r.distinctSecrets} distinct value(s): ${[...shown].sort((a, b) => a[0] - b[0]).map(([id, v]) => `#${id} ${JSON.stringify(v)}`).join(', ')}`
        : `AJP secret:  ${r.distinctSecrets} distinct value(s) seen (redacted; --show-secrets reveals)`,
    );
  }
  if (r.connectionList.length > 0) {
    const t = table(['stream', 'web server (client)', 'container (server)', 'requests', 'CPings', 'CPing RTT ms', 'reuse=1', 'reuse=0', 'errors', 'ended'], opts.color);
    for (const c of r.connectionList.slice(0, max)) {
      t.push([
        String(c.stream),
        endpoint(c.webServer) + (c.fromStart || notAjp(c) ? '' : '*'),
        endpoint(c.container),
        String(c.requests),
        String(c.cpings),
        c.cpingRtt ? ms(c.cpingRtt.avg) : '-',
        String(c.reused),
        String(c.notReused),
        String(c.errors),
        (c.end === 'active' ? 'open' : c.end.toUpperCase()) + (notAjp(c) ? ' (not AJP)' : ''),
      ]);
    }
    lines.push(t.toString());
    const more = r.connectionList.length - max + r.connectionsDropped;
    if (more > 0) lines.push(`… ${more} more AJP connection(s)`);
  }
  if (r.requestList.length > 0) {
    const t0 = opts.t0 ?? Math.min(minOf(r.connectionList.map((c) => c.startTs)), r.requestList[0]!.ts);
    const t = table(['time s', 'stream', 'method', 'URI', 'status', 'req bytes', 'resp bytes', 'latency ms', 'frames'], opts.color);
    for (const q of r.requestList.slice(0, max)) {
      const uri = (q.uri ?? '(null)') + (q.query !== null ? `?${q.query}` : '');
      t.push([
        (q.ts - t0).toFixed(3),
        String(q.stream),
        q.method ?? '?',
        uri.length > 60 ? inputSecrets.cut(uri, 59) : uri,
        q.status === null ? (q.outcome === 'end-response' ? '-' : q.outcome) : String(q.status),
        String(q.requestBytes),
        String(q.responseBytes),
        ms(q.latency),
        q.frames.length > 6 ? `${q.frames[0]}–${q.frames[q.frames.length - 1]} (${q.frames.length})` : q.frames.join('–'),
      ]);
    }
    lines.push(t.toString());
    const more = r.requestList.length - max + r.requestsDropped;
    if (more > 0) lines.push(`… ${more} more request(s)`);
  }
  if (r.violations.length > 0) {
    lines.push('AJP protocol violations and notable events:');
    for (const v of r.violations.slice(0, max)) {
      lines.push(`  [${v.kind}] stream ${v.stream}, frame(s) ${v.frames.join(' ')}: ${v.detail}`);
      lines.push(`      ${wiresharkFilter(v.frames)}`);
    }
    const more = r.violations.length - max + r.violationsDropped;
    if (more > 0) lines.push(`  … ${more} more`);
  }
  return lines.join('\n') + '\n';
}
