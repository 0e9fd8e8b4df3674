import { guardText, shown, type Output } from '../output.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { storyLineGen, type AjpConnection } from '../../timeline/index.js';
import { writeJsonAt } from '../../util/json-stream.js';
import { CAPTURE_OPTIONS, textOrJson, type CommonOptions } from '../options.js';
import { formatTime } from '../../util/clock.js';
import { diagnoseExitCode } from '../findings.js';
import type { AnalysisOptions, Notice } from '../../analyze/index.js';
import type { DiagnoseResult } from '../../rules/index.js';
import { analysisOptions, analyze, analyzeAndDiagnose, captureName, captureSources, closingLines } from '../analysis.js';

/** `ajp-inspect timeline capture.pcap [--conn N]`: each AJP connection's story, line by line. */
export const timelineCommand: CliCommand = {
  command: 'timeline <capture>',
  describe: "tell each AJP connection's story: requests, body rounds, CPing/CPong, idle periods, TCP events, violations",
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .option('conn', { type: 'number', describe: 'only this connection (its tcp.stream number, as in Wireshark)' })
      .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: "each request's headers, attributes and response headers" })
      .option('max-events', { type: 'number', default: 5000, describe: 'story lines kept per connection, the rest counted [default: 5000]' }),
  async run(argv, o, out) {
    const conn = argv.conn === undefined ? undefined : Number(argv.conn);
    if (conn !== undefined && (!Number.isInteger(conn) || conn < 0)) throw new UserError(`--conn must be a tcp.stream number, not ${String(argv.conn)}`);
    const maxEvents = Number(argv['max-events'] ?? 5000);
    return runTimeline(argv, o, out, { conn, eventLimit: Number.isFinite(maxEvents) && maxEvents >= 0 ? maxEvents : 5000, verbose: argv.verbose === true }, TIMELINE_PASS);
  },
};

/**
 * A story as renderStory gives it, and the blank line after it, written in pieces of whole lines of
 * about 64 KiB: a pooled connection of 9,000 requests with 11 KB of escaped headers each made one
 * string longer than V8 allows ("Invalid string length").
 */
export function writeStory(lines: Iterable<string>, write: (text: string) => void, piece = 1 << 16): void {
  let buf = '';
  for (const l of lines) {
    buf += `${l}\n`;
    if (buf.length >= piece) {
      write(buf);
      buf = '';
    }
  }
  write(`${buf}\n`);
}

/**
 * What one reading of the capture keeps for `timeline`: the stories (events), the request cycles
 * and the connections listed. The timeline is the full dump the user asked for, every connection
 * with its whole story, but a production capture's pooled connections all stay open to its end, so
 * everything is held at once: the pooled 2 GB capture (77,910 connections) took 1.5 GB of memory in
 * text and 780 MB in JSON, 470 MB with no story at all (its request cycles). So the capture is read
 * once with these bounds; when it has more than they allow, it is read again for batches of
 * connections in tcp.stream order, each within them, their stories printed as each batch is read.
 * The bounds are of memory: what each pass prints is the same as one unbounded pass would.
 */
export interface PassBounds {
  events: number;
  cycles: number;
  connections: number;
}

/** ~300 B a story event, ~1 KB a request cycle with its headers, ~1.5 KB a listed connection. */
export const TIMELINE_PASS: PassBounds = { events: 150_000, cycles: 30_000, connections: 10_000 };

/** A connection's size as the first reading counted it (its whole story, all its cycles, within the per-connection limits). */
export interface ConnWeight {
  stream: number;
  events: number;
  cycles: number;
}

/**
 * Batches of tcp.stream ids, ascending, each within `b` (a connection larger than a pass by itself
 * is a batch of its own: the per-connection limits bound it).
 */
export function planPasses(conns: readonly ConnWeight[], b: PassBounds): number[][] {
  const sorted = [...conns].sort((x, y) => x.stream - y.stream);
  const out: number[][] = [];
  let cur: number[] = [];
  let ev = 0;
  let cy = 0;
  for (const c of sorted) {
    if (cur.length > 0 && (ev + c.events > b.events || cy + c.cycles > b.cycles || cur.length + 1 > b.connections)) {
      out.push(cur);
      cur = [];
      ev = 0;
      cy = 0;
    }
    cur.push(c.stream);
    ev += c.events;
    cy += c.cycles;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

interface TimelineArgs {
  conn: number | undefined;
  eventLimit: number;
  verbose: boolean;
}

/** `timeline`, with the bounds of one reading (tests give small ones). */
export async function runTimeline(argv: Record<string, unknown>, o: CommonOptions, out: Output, a: TimelineArgs, bounds: PassBounds): Promise<number> {
  const sources = captureSources(argv);
  const options = analysisOptions(o);
  const limits = { eventLimit: a.eventLimit, cycleLimit: 100000, releasedCycleLimit: a.conn === undefined ? 1000 : 100000 };
  const first = await firstReading(sources, o, options, a, limits, bounds);
  const json = textOrJson(o.format, 'timeline') === 'json';
  // Event times as tshark -t shows them: by default relative to the capture's first packet.
  const time = (ts: number) => formatTime(ts, o.timeFormat, first.t0);
  let none = true;
  const write = (text: string): void => out.write(text);
  const print = (list: readonly AjpConnection[]): void => {
    for (const c of list) {
      // As JSON.stringify({ connections, … }, null, 2) writes each item, in pieces: one connection's
      // story can be more than a string holds (writeJsonAt, writeStory).
      if (json) {
        out.write(none ? '{\n  "connections": [\n    ' : ',\n    ');
        writeJsonAt(c, '    ', write);
      } else writeStory(storyLineGen(shown(c), a.verbose, time), write);
      none = false;
    }
  };
  if (first.list !== null) {
    print(first.list);
    first.list = null;
  } else {
    const batches = planPasses(first.weights, bounds);
    for (const [k, batch] of batches.entries()) {
      // Only the batch's streams are looked at; the secrets numbered as the first reading numbered them.
      const only = new Set(batch);
      options.ajp = { story: only, onlyStreams: only, secretIds: first.secretIds, ...limits, connectionLimit: 0, cycleBudget: Infinity, storyEventBudget: Infinity };
      print((await analyze(sources, options, {}, `reading again for the stories, ${k + 1} of ${batches.length}`)).sections.ajp.connectionList);
    }
  }
  const { findings } = first.diagnosis;
  if (json) {
    const tail = JSON.stringify({ findings, notices: first.notices }, null, 2);
    out.write(`${none ? '{\n  "connections": [],\n  ' : '\n  ],\n  '}${tail.slice(4)}\n`);
  } else out.write(closingLines(findings, first.notices, captureName(sources)));
  return diagnoseExitCode(findings, o.failOn);
}

/** AJP streams named in the error for a --conn that is not one (the rest counted): one line, not a megabyte. */
const MAX_STREAMS_NAMED = 50;

interface FirstReading {
  diagnosis: DiagnoseResult;
  notices: Notice[];
  t0: number;
  /** The connections to print when this reading held them all; null when they are read again in batches. */
  list: AjpConnection[] | null;
  /** Every AJP connection's size (for the batches). */
  weights: ConnWeight[];
  /** The secrets' numbering of the whole capture. */
  secretIds: Map<string, number>;
}

/**
 * The first reading: the findings, the notices, and the stories when they fit `bounds`. Only what
 * it returns outlives it (the analysis with its connections does not, when they are read again).
 */
async function firstReading(sources: string[], o: CommonOptions, options: AnalysisOptions, a: TimelineArgs, limits: { eventLimit: number; cycleLimit: number; releasedCycleLimit: number }, bounds: PassBounds): Promise<FirstReading> {
  const weights: ConnWeight[] = [];
  const secretIds = new Map<string, number>();
  // With --conn, only that connection is listed (the others reach the detectors all the same): every
  // connection listed with its request cycles held 1 GB for 320,000 connections. Their numbers are
  // kept for the error when the one asked for is not AJP.
  const ajpStreams: number[] = [];
  options.ajp =
    a.conn !== undefined
      ? { story: new Set([a.conn]), ...limits, connectionLimit: 0, cycleBudget: Infinity, storyEventBudget: Infinity, onConnectionEnd: (c) => ajpStreams.push(c.stream) }
      : {
          story: true,
          secretIds,
          ...limits,
          connectionLimit: bounds.connections,
          cycleBudget: bounds.cycles,
          storyEventBudget: bounds.events,
          // Every connection's size, for the batches of the next readings if this one cannot hold them all.
          onConnectionEnd: (c) => weights.push({ stream: c.stream, events: Math.min(limits.eventLimit, c.events.length + c.eventsDropped), cycles: Math.min(limits.cycleLimit, c.cycles.length + c.cyclesDropped) }),
        };
  const { analysis, diagnosis } = await analyzeAndDiagnose(sources, o, options);
  const r = analysis.sections.ajp;
  const base = { diagnosis, notices: analysis.notices, t0: analysis.run.firstTs ?? 0, weights, secretIds };
  if (a.conn !== undefined) {
    const list = r.connectionList.filter((c) => c.stream === a.conn);
    if (list.length === 0) {
      const known = ajpStreams.sort((x, y) => x - y);
      const shown = known.length > MAX_STREAMS_NAMED ? `${known.slice(0, MAX_STREAMS_NAMED).join(', ')} … (${known.length} in all)` : known.join(', ') || 'none';
      throw new UserError(`no AJP connection with tcp.stream ${a.conn} (AJP streams: ${shown})`);
    }
    return { ...base, list };
  }
  if (fitted(r, bounds)) return { ...base, list: r.connectionList };
  if (!sources.includes('-')) return { ...base, list: null };
  // stdin cannot be read again: its one reading is printed, and what it could not hold is said.
  const kept = r.connectionList.length;
  process.stderr.write(
    guardText(
      `ajp-inspect: warning: stdin cannot be read twice, and its stories are more than one reading holds: ${r.connectionsDropped > 0 ? `the ${r.connectionsDropped} connection(s) after the first ${kept} are not shown, and ` : ''}story lines and cycles past ${bounds.events} and ${bounds.cycles} in all are counted, not shown; give the capture as a file to have them all\n`,
    ),
  );
  return { ...base, list: r.connectionList };
}

/** Whether the first reading held every connection's whole story (no bound of `b` reached). */
function fitted(r: { connectionList: readonly AjpConnection[]; connectionsDropped: number }, b: PassBounds): boolean {
  if (r.connectionsDropped > 0) return false;
  let events = 0;
  let cycles = 0;
  for (const c of r.connectionList) {
    events += c.events.length;
    cycles += c.cycles.length;
  }
  // A bound reached (even exactly) may have kept something out.
  return events < b.events && cycles < b.cycles;
}
