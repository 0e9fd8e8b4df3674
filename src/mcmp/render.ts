/**
 * Text rendering of an MCMP analysis for people who run mod_cluster: the exchanges (time, node,
 * method, key parameters, answer), the final cluster view as tables, each node's load over time,
 * and what went wrong with the frames to open in Wireshark. Pure: returns a string.
 */
import { boundedTable, type Table } from '../util/table.js';
import { wiresharkFilter } from '../util/evidence.js';
import { LOAD_HEAD, type ClusterView, type McmpAnalysis } from './cluster.js';
import { param } from './params.js';
import { MCMP_EVIDENCE_SEVERITY, messagesByMethod, summarizeAnswer } from './report.js';
import type { McmpExchange } from './types.js';

export interface McmpTextOptions {
  color: boolean;
  /** Rows of the exchange table (default 500). */
  maxRows?: number;
  /** Time of the capture's first packet (relative times are from it). */
  t0?: number;
}

const GENERATION_NAMES: Record<string, string> = {
  'mod_cluster-1.3': 'mod_cluster 1.3.x',
  'mod_proxy_cluster-2.x': 'mod_proxy_cluster 2.x (released)',
  'mod_proxy_cluster-main': 'mod_proxy_cluster main (after the MCMP rework)',
};

function table(head: string[], color: boolean): Table.Table {
  return boundedTable({
    head,
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Parameters worth a column, JVMRoute aside (it has its own). */
export function keyParams(x: McmpExchange): string {
  const m = x.request.method.toUpperCase();
  const p = x.request.params;
  if (m === 'STATUS') return p.filter((q) => q.key.toLowerCase() !== 'jvmroute').map((q) => `${q.key}=${q.value}`).join(' ');
  if (['ENABLE-APP', 'DISABLE-APP', 'STOP-APP', 'REMOVE-APP'].includes(m)) {
    if (x.request.wildcard) return '/* (every context)';
    const ctx = param(p, 'Context');
    const alias = param(p, 'Alias');
    const rest = p.filter((q) => !['jvmroute', 'context', 'alias'].includes(q.key.toLowerCase()));
    return [ctx ?? '(no Context)', alias !== undefined ? `on ${alias}` : '(no Alias)', ...rest.map((q) => `${q.key}=${q.value}`)].join(' ');
  }
  return p
    .filter((q) => q.key.toLowerCase() !== 'jvmroute')
    .map((q) => `${q.key}=${q.value}`)
    .join(' ');
}

function answerCell(x: McmpExchange): string {
  const a = summarizeAnswer(x);
  const head = a.status === 200 ? '200' : `${a.status} ${a.reason}`.trim();
  if (a.type === 'ERROR') return `${head} ${a.error?.type ?? ''}: ${(a.error?.mess ?? '').replace(/^(SYNTAX|MEM|GENERAL): /, '')}`;
  return a.text ? `${head} ${a.text}` : head;
}

function rel(ts: number, t0: number): string {
  return (ts - t0).toFixed(3);
}

function exchangesTable(a: McmpAnalysis, opts: McmpTextOptions, t0: number): string {
  const t = table(['#', 'time s', 'stream', 'from', 'node', 'method', 'parameters', 'answer', 'probe', 'note'], opts.color);
  const max = opts.maxRows ?? 500;
  for (const x of a.exchanges.slice(0, max)) {
    const probe =
      x.probes.cping + x.probes.options > 0
        ? `${x.probes.cping > 0 ? `CPing ${x.probes.cping}/${x.probes.cpong}` : `OPTIONS ${x.probes.options}`} ${x.probes.targets.join(',')}`
        : '';
    const notes: string[] = [];
    if (x.resendOf) notes.push(`resend (stream ${x.resendOf.stream} was closed)`);
    if (x.request.problems.length > 0) notes.push(x.request.problems.map((p) => p.detail).join('; '));
    t.push([
      String(x.index),
      rel(x.request.ts, t0),
      String(x.request.stream),
      x.request.client.addr,
      clip(param(x.request.params, 'JVMRoute') ?? '', 16),
      x.request.method + (x.request.wildcard && !['DUMP'].includes(x.request.method.toUpperCase()) ? ' /*' : ''),
      clip(keyParams(x), 44),
      clip(answerCell(x), 48),
      probe,
      clip(notes.join('; '), 40),
    ]);
  }
  let s = t.toString();
  const more = a.tally.exchanges - Math.min(max, a.exchanges.length);
  if (more > 0) {
    const json = a.exchanges.length >= a.tally.exchanges ? 'them all' : `the first ${a.exchanges.length}`;
    s += `\n(${more} more exchanges; --format json lists ${json})`;
  }
  return s;
}

function clusterTables(c: ClusterView, opts: McmpTextOptions, t0: number): string[] {
  const out: string[] = [];
  const gen = c.generation.generation ? GENERATION_NAMES[c.generation.generation] : `not certain (${c.generation.candidates.map((g) => GENERATION_NAMES[g]).join(' or ')})`;
  out.push(`httpd ${c.server}: ${c.generation.release ?? 'version not announced'}; answers look like ${gen}`);
  if (c.generation.reasons.length > 0) out.push(`  because: ${c.generation.reasons.join('; ')}`);
  if (c.httpdIds.length > 0) {
    out.push(
      `  restart id: ${c.httpdIds.map((i) => `${i.id} (from exchange ${i.exchange})`).join(' → ')}${c.httpdIds.length > 1 ? '  ← httpd restarted' : ''}`,
    );
  }
  const nodes = table(['node', 'httpd says', 'load', 'lifecycle', 'balancer', 'domain', 'address', 'settings'], opts.color);
  for (const n of c.nodes) {
    const s = n.settings;
    nodes.push([
      n.jvmRoute,
      n.state ?? '?',
      n.load === undefined ? '?' : n.lifecycle !== 'registered' ? String(n.load) : n.load === -1 ? '-1 broken' : n.load === 0 ? '0 standby' : String(n.load),
      n.lifecycle + (n.lifecycleNote ? `\n${clip(n.lifecycleNote, 48)}` : ''),
      n.balancer,
      n.domain || '-',
      `${n.type}://${n.host}:${n.port}`,
      `flushpackets ${s.flushpackets}, ping ${s.ping}s, ttl ${s.ttl}s, smax ${s.smax}${s.timeout && s.timeout !== '0' ? `, timeout ${s.timeout}s` : ''}`,
    ]);
  }
  out.push('Nodes (final):');
  out.push(nodes.toString());
  const ctx = table(['node', 'vhost', 'aliases', 'context', 'state', 'since'], opts.color);
  let rows = 0;
  for (const n of c.nodes) {
    for (const x of n.contexts) {
      rows++;
      ctx.push([n.jvmRoute, String(x.vhost), x.aliases.join(', '), x.path, x.status, x.exchange > 0 ? `#${x.exchange} at ${rel(x.ts, t0)} s` : 'INFO']);
    }
  }
  out.push('Contexts (final):');
  out.push(rows > 0 ? ctx.toString() : '  (none)');
  if (c.balancers.length > 0) {
    const b = table(['balancer', 'sticky session', 'cookie / path', 'remove', 'force', 'wait worker s', 'max attempts'], opts.color);
    for (const x of c.balancers) {
      const s = x.settings;
      b.push([x.name, s.StickySession ?? '', `${s.StickySessionCookie ?? ''} / ${s.StickySessionPath ?? ''}`, s.StickySessionRemove ?? '', s.StickySessionForce ?? '', s.WaitWorker ?? '', s.Maxattempts ?? '']);
    }
    out.push('Balancers (from CONFIG; httpd\'s DUMP wins when seen):');
    out.push(b.toString());
  }
  if (c.changes.length > 0) {
    out.push('What httpd was told, in order (changes to its view):');
    const max = opts.maxRows ?? 500;
    for (const ch of c.changes.slice(0, max)) {
      out.push(`  ${rel(ch.ts, t0).padStart(8)} s  #${String(ch.exchange).padEnd(4)} ${ch.node !== undefined ? `${ch.node}: ` : ''}${ch.what}`);
    }
    const dropped = c.changesDropped ?? 0;
    if (c.changes.length > max) out.push(`  (${c.changes.length - max + dropped} more; --format json lists ${dropped > 0 ? `the first ${c.changes.length}` : 'them all'})`);
  }
  out.push('Load over time (time s, Load sent in STATUS: 1-100 share, 0 hot standby, -1 broken; httpd\'s answer when not OK):');
  for (const n of c.nodes) {
    const points = n.loadHistory.map((p) => `${rel(p.ts, t0)}s ${p.load}${p.answer === 'OK' ? '' : ` ${p.answer}`}`);
    // the first and the last points of a long capture, the ones between counted (cluster.ts LOAD_HEAD)
    if (n.loadHistoryDropped !== undefined) points.splice(LOAD_HEAD, 0, `… ${n.loadHistoryDropped} more …`);
    out.push(`  ${n.jvmRoute}: ${points.length > 0 ? points.join(' | ') : 'no STATUS'}`);
  }
  return out;
}

/** The `ajp-inspect mcmp` report. */
export function renderMcmpText(a: McmpAnalysis, opts: McmpTextOptions): string {
  const t0 = opts.t0 ?? a.firstTs ?? 0;
  const lines: string[] = [];
  const u = a.unansweredTally;
  if (a.tally.exchanges === 0 && u.count === 0) {
    lines.push('MCMP: no mod_cluster management messages found (methods CONFIG, STATUS, ENABLE-APP, ... on any port).');
    return lines.join('\n') + '\n';
  }
  // httpd counted from every request sent, answered or not: a cluster view comes from answered
  // exchanges only, so an httpd that answered nothing has none.
  const httpd = new Set([...a.clusters.map((c) => c.server), ...u.servers]);
  if (a.tally.exchanges === 0) {
    const shown = [...httpd].slice(0, 3).join(', ') + (httpd.size > 3 ? ', ...' : '');
    lines.push(`MCMP: ${u.count} request(s) on ${a.tally.streams.size} connection(s) to ${httpd.size} httpd (${shown}), none answered`);
  } else {
    lines.push(
      `MCMP: ${a.tally.exchanges} exchange(s) on ${a.tally.streams.size} connection(s) to ${httpd.size} httpd; ` +
        `${u.count} request(s) without an answer`,
    );
  }
  const msgs = messagesByMethod(a);
  lines.push(`Requests as sent: ${Object.entries(msgs).map(([m, n]) => `${m} ${n}`).join(', ')}`);
  if (u.count > 0) {
    lines.push(
      `Unanswered: ${u.keepaliveClosed} written on a kept-alive connection httpd had already closed (KeepAliveTimeout), ${u.resentKeepaliveClosed} of them resent at once on a new connection (benign); ${u.count - u.keepaliveClosed} other`,
    );
  }
  if (a.otherHttp.length > 0) lines.push(`Other HTTP on the MCMP port: ${a.otherHttp.length} (${[...new Set(a.otherHttp.map((h) => h.requestLine))].slice(0, 3).join('; ')})`);
  // No exchange (every request unanswered): no empty table under the line that says so.
  if (a.tally.exchanges > 0) {
    lines.push('');
    lines.push('Exchanges (time s from the first packet; probe = what httpd sent the node while handling it):');
    lines.push(exchangesTable(a, opts, t0));
  }
  for (const c of a.clusters) {
    lines.push('');
    lines.push(...clusterTables(c, opts, t0));
  }
  const problems = a.evidence.filter((e) => MCMP_EVIDENCE_SEVERITY[e.kind] !== 'info');
  lines.push('');
  if (problems.length === 0) {
    lines.push('What went wrong: nothing.');
  } else {
    lines.push('What went wrong:');
    for (const e of problems) {
      lines.push(`  [${MCMP_EVIDENCE_SEVERITY[e.kind] ?? 'warning'}] ${rel(e.ts, t0)} s ${e.kind}: ${e.detail}  (${wiresharkFilter(e.frames)})`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A short MCMP part for the default `ajp-inspect capture.pcap` report. */
export function renderMcmpSummary(a: McmpAnalysis, opts: McmpTextOptions): string {
  if (a.tally.exchanges === 0 && a.unansweredTally.count === 0) return '';
  const t0 = opts.t0 ?? a.firstTs ?? 0;
  const lines: string[] = [];
  const msgs = messagesByMethod(a);
  lines.push(`MCMP: ${Object.entries(msgs).map(([m, n]) => `${m} ${n}`).join(', ')} (${a.unansweredTally.count} unanswered)`);
  for (const c of a.clusters) {
    const nodes = table(['httpd', 'node', 'httpd says', 'load', 'lifecycle', 'address', 'contexts'], opts.color);
    for (const n of c.nodes) {
      nodes.push([c.server, n.jvmRoute, n.state ?? '?', n.load === undefined ? '?' : String(n.load), n.lifecycle, `${n.type}://${n.host}:${n.port}`, n.contexts.map((x) => `${x.path} ${x.status}`).join(', ')]);
    }
    lines.push(nodes.toString());
  }
  const problems = a.evidence.filter((e) => MCMP_EVIDENCE_SEVERITY[e.kind] !== 'info');
  if (problems.length > 0) {
    const counts = new Map<string, number>();
    for (const e of problems) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    lines.push(`MCMP problems: ${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}; see ajp-inspect mcmp`);
  }
  void t0;
  return lines.join('\n') + '\n';
}
