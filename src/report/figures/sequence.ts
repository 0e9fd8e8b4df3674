/**
 * A sequence diagram of one AJP connection: the web server's lane on the left, the container's on
 * the right, one row per message of the connection's story (timeline/ AjpAnalyzer events): the
 * FORWARD_REQUEST, body rounds (DATA ↔ GET_BODY_CHUNK), SEND_HEADERS with its status, END_RESPONSE
 * with reuse, CPing/CPong with the round trip, TCP SYN / FIN / RST, idle periods drawn as a break
 * with their length, violations in red. Each row's <title> gives its frame numbers and time (hover).
 * When the story was not kept (a connection past the story cap), the rows come from its request
 * cycles and TCP facts, which every connection keeps.
 */
import type { AjpConnection, TimelineEvent } from '../../timeline/index.js';
import { dur, esc, statusColor, svg } from './svg.js';

export interface SequenceRow {
  kind: 'msg' | 'tcp' | 'idle' | 'violation' | 'note' | 'cut';
  /** Sender (messages, TCP events). */
  from?: 'web-server' | 'container';
  label: string;
  /** Hover text: frames, time, the full description. */
  hover: string;
  color: string;
  t: number;
  bold?: boolean;
}

const WEB = 'web-server';
const GREY = '#555';
const RED = '#b3261e';

function short(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

function framesText(frames: readonly number[]): string {
  if (frames.length === 0) return 'no frame';
  if (frames.length === 1) return `frame ${frames[0]}`;
  const shown = frames.slice(0, 12).join(', ');
  return `frames ${shown}${frames.length > 12 ? ` (+${frames.length - 12})` : ''}`;
}

/** The label of an AJP message row: what a reader needs without the hover. */
function ajpLabel(e: TimelineEvent): { label: string; color: string; bold?: boolean } {
  const t = e.text;
  switch (e.name) {
    case 'FORWARD_REQUEST': {
      const m = /^FORWARD_REQUEST (\S+) (\S+)/.exec(t);
      return { label: m ? `FORWARD_REQUEST ${m[1]} ${short(m[2]!, 38)}` : 'FORWARD_REQUEST', color: '#1a1a1a', bold: true };
    }
    case 'SEND_HEADERS': {
      const m = /^SEND_HEADERS (\d+)/.exec(t);
      const status = m ? Number(m[1]) : null;
      return { label: `SEND_HEADERS ${status ?? ''}`.trim(), color: statusColor(status), bold: true };
    }
    case 'END_RESPONSE': {
      const m = /reuse=(\S+)/.exec(t);
      return { label: `END_RESPONSE reuse=${m ? m[1] : '?'}`, color: m && m[1] === '0' ? '#a15c00' : '#1a1a1a' };
    }
    case 'SEND_BODY_CHUNK':
    case 'DATA':
    case 'GET_BODY_CHUNK':
      return { label: e.count !== undefined && e.count > 1 ? `${e.name} ×${e.count}` : short(t, 48), color: '#333' };
    case 'MALFORMED':
    case 'UNKNOWN':
      return { label: short(t, 48), color: RED, bold: true };
    default:
      return { label: short(t, 48), color: '#1a1a1a' };
  }
}

/** The rows of a connection's story (events), CPing round trips folded into their CPONG row. */
export function storyRows(c: AjpConnection): SequenceRow[] {
  const rows: SequenceRow[] = [];
  let lastCpong: SequenceRow | undefined;
  for (const e of c.events) {
    const hover = `${framesText(e.frames)} · +${dur(e.t)} · ${e.text}`;
    if (e.kind === 'ajp') {
      const l = ajpLabel(e);
      const row: SequenceRow = { kind: 'msg', from: e.from === WEB ? 'web-server' : 'container', label: l.label, hover, color: l.color, t: e.t };
      if (l.bold) row.bold = true;
      rows.push(row);
      if (e.name === 'CPONG') lastCpong = row;
    } else if (e.kind === 'cping') {
      const m = /([\d.]+) ms/.exec(e.text);
      if (lastCpong !== undefined && m) {
        lastCpong.label += ` (RTT ${dur(Number(m[1]) / 1000)})`;
        lastCpong.hover += ` · ${e.text}`;
      }
    } else if (e.kind === 'tcp') {
      const rst = e.name === 'rst';
      const edge = e.name === 'syn' || e.name === 'syn-ack' || e.name === 'fin' || rst;
      const row: SequenceRow = { kind: edge ? 'tcp' : 'note', label: edge ? e.name.toUpperCase() : short(e.text, 60), hover, color: rst ? RED : GREY, t: e.t };
      if (e.from !== undefined) row.from = e.from === WEB ? 'web-server' : 'container';
      if (rst) row.bold = true;
      rows.push(row);
    } else if (e.kind === 'idle') {
      rows.push({ kind: 'idle', label: short(e.text, 70), hover, color: GREY, t: e.t });
    } else if (e.kind === 'violation') {
      rows.push({ kind: 'violation', label: `⚠ ${short(e.text, 60)}`, hover, color: RED, t: e.t, bold: true });
    } else {
      rows.push({ kind: 'note', label: short(e.text, 70), hover, color: GREY, t: e.t });
    }
  }
  return rows;
}

/** Rows from what every connection keeps (request cycles, TCP facts) when its story was not kept. */
export function cycleRows(c: AjpConnection): SequenceRow[] {
  const rows: SequenceRow[] = [];
  const t0 = c.startTs;
  if (c.facts.syn) rows.push({ kind: 'tcp', from: 'web-server', label: 'SYN', hover: `+0 · SYN from the web server (frame ${c.firstFrame})`, color: GREY, t: 0 });
  if (c.cpings > 0) rows.push({ kind: 'note', label: `${c.cpings} CPING / ${c.cpongs} CPONG${c.cpingRtt ? `, RTT ${dur(c.cpingRtt.min)} .. ${dur(c.cpingRtt.max)}` : ''}`, hover: 'CPing/CPong on this connection (story not kept: counts only)', color: GREY, t: 0 });
  let prevEnd: number | null = null;
  for (const y of c.cycles) {
    const t = y.ts - t0;
    if (y.idleBefore !== null && y.idleBefore >= 1 && prevEnd !== null) rows.push({ kind: 'idle', label: `idle ${dur(y.idleBefore)}`, hover: `idle ${dur(y.idleBefore)} before request ${y.index}`, color: GREY, t });
    rows.push({ kind: 'msg', from: 'web-server', label: `FORWARD_REQUEST ${y.method ?? '?'} ${short(y.uri ?? '?', 38)}`, hover: `frame ${y.firstFrame} · +${dur(t)} · request ${y.index}`, color: '#1a1a1a', t, bold: true });
    if (y.getBodyChunks > 0 || y.requestBody.packets > 0) rows.push({ kind: 'note', label: `body: ${y.requestBody.packets} DATA (${y.requestBody.bytes} B), ${y.getBodyChunks} GET_BODY_CHUNK`, hover: `request ${y.index} body rounds`, color: '#333', t });
    if (y.status !== null) rows.push({ kind: 'msg', from: 'container', label: `SEND_HEADERS ${y.status}`, hover: `request ${y.index} · +${dur(t + (y.timeToHeaders ?? 0))} · ${y.status} ${y.statusMessage ?? ''}`, color: statusColor(y.status), t: t + (y.timeToHeaders ?? 0), bold: true });
    if (y.outcome === 'end-response') rows.push({ kind: 'msg', from: 'container', label: `END_RESPONSE reuse=${y.reuse ?? '?'}`, hover: `frame ${y.lastFrame ?? '?'} · +${dur(t + (y.total ?? 0))} · total ${dur(y.total ?? 0)}`, color: y.reuse === 0 ? '#a15c00' : '#1a1a1a', t: t + (y.total ?? 0) });
    else rows.push({ kind: 'violation', label: `request ${y.index} ${y.outcome}`, hover: `request ${y.index} ended: ${y.outcome}`, color: RED, t, bold: true });
    prevEnd = t + (y.total ?? 0);
  }
  if (c.cyclesDropped > 0) rows.push({ kind: 'cut', label: `${c.cyclesDropped} more request cycles not kept`, hover: 'display cap of the analysis', color: GREY, t: c.duration });
  const f = c.facts;
  if (f.rstBy !== null) rows.push({ kind: 'tcp', from: f.rstBy === 'web-server' ? 'web-server' : 'container', label: 'RST', hover: `RST by the ${f.rstBy} (frame ${c.lastFrame})`, color: RED, t: c.duration, bold: true });
  else if (f.finBy !== null) rows.push({ kind: 'tcp', from: f.finBy === 'web-server' ? 'web-server' : 'container', label: 'FIN', hover: `FIN by the ${f.finBy}`, color: GREY, t: c.duration });
  return rows;
}

/** Keep the first rows and the last ones (the end of a connection says how it ended), with a cut between. */
export function capRows(rows: SequenceRow[], max: number): { rows: SequenceRow[]; left: number } {
  if (rows.length <= max) return { rows, left: 0 };
  const tail = Math.floor(max / 4);
  const head = max - tail - 1;
  const left = rows.length - head - tail;
  const cut: SequenceRow = { kind: 'cut', label: `… ${left} rows not drawn …`, hover: `${left} rows between these are left out of the picture (the text report / timeline command has them all)`, color: GREY, t: rows[head]!.t };
  return { rows: [...rows.slice(0, head), cut, ...rows.slice(rows.length - tail)], left };
}

export interface SequenceOptions {
  /** Page-unique id of the figure. */
  id: string;
  maxRows?: number;
}

const W = 720;
const XW = 190;
const XC = 610;
const ROW = 22;
const TOP = 52;

/** The diagram's SVG and the number of story rows left out. */
export function sequenceDiagram(c: AjpConnection, o: SequenceOptions): { svg: string; rows: number; left: number; fromStory: boolean } {
  const fromStory = c.events.length > 0;
  const all = fromStory ? storyRows(c) : cycleRows(c);
  const { rows, left } = capRows(all, o.maxRows ?? 80);
  const h = TOP + rows.length * ROW + 16;
  const ws = `${c.webServer.addr}:${c.webServer.port}`;
  const ct = `${c.container.addr}:${c.container.port}`;
  let body = `<defs><marker id="${o.id}a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>`;
  body += `<text x="${XW}" y="16" text-anchor="middle" class="lane">web server</text><text x="${XW}" y="31" text-anchor="middle" class="sub">${esc(ws)}</text>`;
  body += `<text x="${XC}" y="16" text-anchor="middle" class="lane">container</text><text x="${XC}" y="31" text-anchor="middle" class="sub">${esc(ct)}</text>`;
  body += `<line x1="${XW}" y1="${TOP - 12}" x2="${XW}" y2="${h - 8}" stroke="#999" stroke-width="2"/><line x1="${XC}" y1="${TOP - 12}" x2="${XC}" y2="${h - 8}" stroke="#999" stroke-width="2"/>`;
  rows.forEach((r, i) => {
    const y = TOP + i * ROW + 8;
    let g = `<g class="row ${r.kind}"><title>${esc(r.hover)}</title>`;
    g += `<text x="4" y="${y + 4}" class="t">${esc(r.kind === 'cut' ? '' : '+' + dur(r.t))}</text>`;
    const weight = r.bold ? ' font-weight="600"' : '';
    if ((r.kind === 'msg' || r.kind === 'tcp') && r.from !== undefined) {
      const [x1, x2] = r.from === 'web-server' ? [XW, XC] : [XC, XW];
      const dash = r.kind === 'tcp' && r.label !== 'RST' ? ' stroke-dasharray="4 3"' : '';
      g += `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${r.color}" stroke-width="${r.bold ? 2 : 1.3}"${dash} marker-end="url(#${o.id}a)"/>`;
      g += `<text x="${(XW + XC) / 2}" y="${y - 4}" text-anchor="middle" fill="${r.color}"${weight}>${esc(r.label)}</text>`;
    } else if (r.kind === 'idle' || r.kind === 'cut') {
      // A break: the silence is not drawn to scale, its length is written on it.
      g += `<path d="M${XW - 30},${y - 3} l10,6 l10,-6 l10,6 M${XC - 30},${y - 3} l10,6 l10,-6 l10,6" fill="none" stroke="#777"/>`;
      g += `<rect x="${XW + 20}" y="${y - 10}" width="${XC - XW - 40}" height="18" fill="#f3f3f3" rx="3"/>`;
      g += `<text x="${(XW + XC) / 2}" y="${y + 4}" text-anchor="middle" fill="#333" font-style="italic">${esc(r.label)}</text>`;
    } else if (r.kind === 'violation') {
      g += `<rect x="${XW - 6}" y="${y - 11}" width="${XC - XW + 12}" height="19" fill="#fdecea" stroke="${RED}" rx="3"/>`;
      g += `<text x="${(XW + XC) / 2}" y="${y + 3}" text-anchor="middle" fill="${RED}"${weight}>${esc(r.label)}</text>`;
    } else {
      const x = r.from === 'container' ? XC : r.from === 'web-server' ? XW : (XW + XC) / 2;
      const anchor = r.from === 'container' ? 'end' : r.from === 'web-server' ? 'start' : 'middle';
      g += `<text x="${r.from === 'container' ? x - 8 : r.from === 'web-server' ? x + 8 : x}" y="${y + 3}" text-anchor="${anchor}" fill="${r.color}" font-style="italic">${esc(r.label)}</text>`;
    }
    body += g + '</g>';
  });
  const title = `AJP connection tcp.stream ${c.stream}: ${ws} → ${ct}`;
  const desc = `${c.requests} request${c.requests === 1 ? '' : 's'}, ${c.cpings} CPing, ended ${c.end}; ${rows.length} rows drawn${left ? `, ${left} left out` : ''}${fromStory ? '' : ' (from request cycles: the story was not kept)'}.`;
  return { svg: svg(o.id, W, h, title, desc, body, 'fig seq'), rows: rows.length, left, fromStory };
}

