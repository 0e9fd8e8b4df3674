/** Text forms of a connection's story and of one frame line. Pure string functions. */
import type { AjpMessage } from '../ajp/index.js';
import type { Endpoint } from '../tcp/types.js';
import { wiresharkFilter } from '../util/evidence.js';
import { fmtMs, fmtSecs } from './analyzer.js';
import { describeMessage, describeMessageFields } from './describe.js';
import type { AjpConnection, RequestCycle, TimelineEvent } from './types.js';

export function endpoint(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

export function frameList(frames: readonly number[]): string {
  if (frames.length === 0) return '-';
  if (frames.length <= 3) return frames.join(',');
  return `${frames[0]}..${frames[frames.length - 1]}(${frames.length})`;
}

function arrow(from: string | undefined): string {
  return from === 'web-server' ? 'ws→c' : from === 'container' ? 'c→ws' : '    ';
}

/** Shows a packet time (seconds since the epoch) as the user asked (util/clock.ts, tshark's -t). */
export type TimeText = (ts: number) => string;

/** `frames` command: one line per AJP message; `time` formats its time (default: seconds since t0). */
export function renderFrameLine(m: AjpMessage, stream: number, cycle: number | null, t0: number, verbose = false, time?: TimeText): string {
  const t = (time !== undefined ? time(m.ts) : (m.ts - t0).toFixed(6)).padStart(12);
  const head = `${frameList(m.frames).padEnd(14)} ${t}  s${String(stream).padEnd(4)} ${arrow(m.side)} ${cycle !== null ? `[${cycle}]`.padEnd(6) : '      '}`;
  const line = `${head} ${describeMessage(m)}`;
  if (!verbose) return line;
  return [line, ...describeMessageFields(m).map((f) => `        ${f}`)].join('\n');
}

function cycleLine(cy: RequestCycle): string {
  const uri = (cy.uri ?? '(null)') + (cy.query !== null ? `?${cy.query}` : '');
  const parts = [`[${cy.index}] ${cy.method ?? '?'} ${uri} → ${cy.status ?? 'no response'}`];
  if (cy.requestBody.packets > 0) parts.push(`request body ${cy.requestBody.bytes} B in ${cy.requestBody.packets} packet(s)`);
  if (cy.getBodyChunks > 0) parts.push(`${cy.getBodyChunks} GET_BODY_CHUNK round(s)`);
  parts.push(`response ${cy.responseBody.bytes} B in ${cy.responseBody.packets} packet(s)${cy.responseBody.flushes ? ` + ${cy.responseBody.flushes} flush` : ''}`);
  if (cy.timeToHeaders !== null) parts.push(`headers after ${fmtMs(cy.timeToHeaders)}`);
  if (cy.total !== null) parts.push(`total ${fmtMs(cy.total)}`);
  if (cy.reuse !== null) parts.push(`reuse=${cy.reuse}`);
  if (cy.outcome !== 'end-response') parts.push(`ended: ${cy.outcome}`);
  parts.push(`frames ${cy.firstFrame}${cy.lastFrame !== null ? `–${cy.lastFrame}` : ''}`);
  return parts.join(', ');
}

function eventLine(e: TimelineEvent, time?: TimeText): string {
  const t = (time !== undefined ? time(e.ts) : `+${e.t.toFixed(6)}`).padStart(14);
  const fr = e.frames.length > 0 ? `#${frameList(e.frames)}` : '';
  const mark = e.kind === 'violation' ? '  !! ' : e.kind === 'tcp' ? '  tcp ' : e.kind === 'idle' || e.kind === 'cping' ? '  ··· ' : `  ${arrow(e.from)} `;
  const cyc = e.cycle !== undefined && e.kind === 'ajp' ? `[${e.cycle}] ` : '';
  return `${t}  ${fr.padEnd(16)}${mark}${cyc}${e.text}`;
}

function cycleDetails(cy: RequestCycle): string[] {
  const q = (v: string | number | null) => (v === null ? '(null)' : typeof v === 'number' ? String(v) : JSON.stringify(v));
  const out = [
    `        ${cy.protocol ?? '(null)'} from ${cy.remoteAddr ?? '(null)'} (remote_host ${q(cy.remoteHost)}), server ${cy.serverName ?? '(null)'}:${cy.serverPort}${cy.isSsl ? ' TLS' : ''}`,
  ];
  for (const h of cy.headers) out.push(`        > ${h.name}: ${q(h.value)}`);
  for (const a of cy.attributes) out.push(`        @ ${a.request ? `req_attribute ${a.name}` : a.name}: ${q(a.value)}`);
  if (cy.status !== null) out.push(`        < ${cy.status} ${q(cy.statusMessage)}`);
  for (const h of cy.responseHeaders) out.push(`        < ${h.name}: ${q(h.value)}`);
  return out;
}

/**
 * A connection on an AJP port that carried bytes but not one valid AJP13 message (a TLS session, an
 * HTTP request, a scanner's probe): listed as not AJP, not as an AJP connection that misbehaved or
 * started mid-stream.
 */
export function notAjp(c: Pick<AjpConnection, 'frames' | 'bytes' | 'violations'>): boolean {
  if (c.bytes.webServer + c.bytes.container === 0) return false;
  for (const [type, n] of Object.entries(c.frames)) if (n > 0 && type !== 'MALFORMED' && type !== 'UNKNOWN') return false;
  // A packet with the AJP magic cut short by a gap is still AJP: only bad magic (or no header at all) is not.
  return c.frames.MALFORMED + c.frames.UNKNOWN === 0 || c.violations.some((v) => v.kind === 'bad-magic');
}

/**
 * A connection's events and cycles as storyLineGen reads them: its own lists, or (timeline) lists
 * read back from where they were set aside, one item at a time.
 */
export interface StoryLists {
  events: Iterable<TimelineEvent>;
  eventCount: number;
  cycles: Iterable<RequestCycle>;
  cycleCount: number;
}

function ownLists(c: AjpConnection): StoryLists {
  return { events: c.events, eventCount: c.events.length, cycles: c.cycles, cycleCount: c.cycles.length };
}

/**
 * A connection's story, line by line; `verbose` adds each cycle's headers and attributes. `time`
 * formats the event times (default: +seconds since the connection's start). Made as it is read: one
 * connection's story can be more than memory holds well as lines (a pooled connection of 9,000
 * requests with 11 KB of escaped headers each is 585 MB of text), timeline writes it as it goes.
 */
export function* storyLineGen(c: AjpConnection, verbose = false, time?: TimeText, lists: StoryLists = ownLists(c)): Generator<string, void, undefined> {
  yield `AJP connection tcp.stream ${c.stream}: web server ${endpoint(c.webServer)} → container ${endpoint(c.container)}` + (c.detectedBy === 'content' ? ' (found by content)' : '');
  const rtt = c.cpingRtt ? ` (RTT min/avg/max ${fmtMs(c.cpingRtt.min)} / ${fmtMs(c.cpingRtt.avg)} / ${fmtMs(c.cpingRtt.max)})` : '';
  yield (
    `  frames ${c.firstFrame}–${c.lastFrame}, ${fmtSecs(c.duration)}, ${c.end === 'active' ? 'still open' : c.end === 'open' ? 'open at end of capture' : `ended by ${c.end.toUpperCase()}`}` +
      `${notAjp(c) ? ', not AJP: no valid AJP13 message in its bytes' : c.fromStart ? '' : ', capture started mid-stream'}; ${c.requests} request(s), ${c.cpings} CPing(s)${rtt}, reuse=1 ×${c.reused}, reuse=0 ×${c.notReused}, ${c.errors} error(s)`
  );
  const s = c.secret;
  if (s.present + s.absent > 0) {
    yield (
      `  secret: ${s.present > 0 ? `present on ${s.present} request(s) (secret #${s.ids.join(', #')}${s.values ? `: ${s.values.join(', ')}` : ''})` : 'absent'}${s.present > 0 && s.absent > 0 ? `, absent on ${s.absent}` : ''}`
    );
  }
  if (lists.eventCount > 0) {
    yield '  story:';
    for (const e of lists.events) yield eventLine(e, time);
    if (c.eventsDropped > 0) yield `  … ${c.eventsDropped} more event(s) not kept`;
  } else if (c.eventsDropped > 0) {
    yield `  (story released: ${c.eventsDropped} event(s); ask for this connection with --conn ${c.stream})`;
  }
  if (lists.cycleCount > 0) {
    yield '  request cycles:';
    for (const cy of lists.cycles) {
      yield `    ${cycleLine(cy)}`;
      if (verbose) yield* cycleDetails(cy);
    }
    if (c.cyclesDropped > 0) yield `    … ${c.cyclesDropped} more cycle(s)`;
  }
  if (c.violations.length > 0) {
    yield '  violations:';
    for (const v of c.violations) yield `    ${v.kind}: ${v.detail}\n      ${wiresharkFilter(v.frames)}`;
    if (c.violationsDropped > 0) yield `    … ${c.violationsDropped} more`;
  }
}

/** storyLineGen's lines as a list. */
export function storyLines(c: AjpConnection, verbose = false, time?: TimeText): string[] {
  return [...storyLineGen(c, verbose, time)];
}

export function renderStory(c: AjpConnection, verbose = false, time?: TimeText): string {
  return storyLines(c, verbose, time).join('\n') + '\n';
}
