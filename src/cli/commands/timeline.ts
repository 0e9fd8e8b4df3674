import { GuardedLines, shown, type Output } from '../output.js';
import { writeProgress } from '../io.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { storyLineGen, type RequestCycle, type TimelineEvent } from '../../timeline/index.js';
import { StreamedList, writeJsonAt } from '../../util/json-stream.js';
import { StorySpill, cycleSummary } from '../story-spill.js';
import { CAPTURE_DESCRIBE, CAPTURE_OPTIONS, CAPTURE_POSITIONAL, CONN_OPTION, connArg, MORE_CAPTURES_DESCRIBE, textOrJson, TEXT_OR_JSON, type CommonOptions } from '../options.js';
import { formatTime } from '../../util/clock.js';
import { diagnoseExitCode } from '../findings.js';
import { analysisOptions, analyzeAndDiagnose, captureSources, closingLines, reportCommand } from '../analysis.js';

/** `ajp-inspect timeline capture.pcap [--conn N]`: each AJP connection's story, line by line. */
export const timelineCommand: CliCommand = {
  command: `timeline ${CAPTURE_POSITIONAL}`,
  describe: "tell each AJP connection's story: requests, body rounds, CPing/CPong, idle periods, TCP events, violations",
  options: CAPTURE_OPTIONS,
  formats: TEXT_OR_JSON,
  reads: 'capture',
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: CAPTURE_DESCRIBE })
      .positional('more', { type: 'string', array: true, describe: MORE_CAPTURES_DESCRIBE })
      .option('conn', CONN_OPTION)
      .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: "each request's headers, attributes and response headers" })
      .option('max-events', { type: 'number', default: 5000, describe: 'story lines kept per connection, the rest counted [default: 5000]' }),
  async run(argv, o, out) {
    const conn = connArg(argv.conn);
    const maxEvents = Number(argv['max-events'] ?? 5000);
    return runTimeline(argv, o, out, { conn, eventLimit: Number.isFinite(maxEvents) && maxEvents >= 0 ? maxEvents : 5000, verbose: argv.verbose === true });
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

interface TimelineArgs {
  conn: number | undefined;
  eventLimit: number;
  verbose: boolean;
}

/** AJP streams named in the error for a --conn that is not one (the rest counted): one line, not a megabyte. */
export const MAX_STREAMS_NAMED = 50;

/**
 * The error for a --conn that is no AJP connection of the capture (`streams`: some that are, the
 * first MAX_STREAMS_NAMED at least; `total`: how many in all, unknown past those when not given).
 */
export function noSuchConn(conn: number, streams: readonly number[], total?: number): string {
  const known = [...streams].sort((x, y) => x - y);
  const more = total === undefined ? known.length >= MAX_STREAMS_NAMED : total > MAX_STREAMS_NAMED;
  const shownList = more ? `${known.slice(0, MAX_STREAMS_NAMED).join(', ')} … (${total ?? 'more'}${total === undefined ? '' : ' in all'})` : known.join(', ') || 'none';
  return `no AJP connection with tcp.stream ${conn} (AJP streams: ${shownList})`;
}

/**
 * `timeline`: one reading of the capture, every listed connection's story set aside in a temporary
 * file as it is made (StorySpill), then printed in tcp.stream order. `flushAt` (tests give a small
 * one) is how much story text is buffered before it is written.
 */
export async function runTimeline(argv: Record<string, unknown>, o: CommonOptions, out: Output, a: TimelineArgs, flushAt?: number): Promise<number> {
  const sources = captureSources(argv);
  const options = analysisOptions(o);
  const json = textOrJson(o.format, 'timeline') === 'json';
  const spill = new StorySpill(flushAt, json || a.verbose ? undefined : cycleSummary);
  try {
    // With --conn only that connection is listed (the others reach the detectors all the same);
    // their numbers are kept for the error when the one asked for is not AJP.
    const ajpStreams: number[] = [];
    const limits = { eventLimit: a.eventLimit, cycleLimit: 100000, releasedCycleLimit: a.conn === undefined ? 1000 : 100000, cycleBudget: Infinity, storyEventBudget: Infinity, storySink: spill };
    options.ajp =
      a.conn !== undefined
        ? { story: new Set([a.conn]), ...limits, connectionLimit: 0, onConnectionEnd: (c) => ajpStreams.push(c.stream) }
        : { story: true, ...limits, connectionLimit: Infinity };
    const { analysis, diagnosis } = await analyzeAndDiagnose(sources, o, options);
    if (a.conn !== undefined && spill.size === 0) {
      throw new UserError(noSuchConn(a.conn, ajpStreams, ajpStreams.length));
    }
    // Event times as tshark -t shows them: by default relative to the capture's first packet.
    const t0 = analysis.run.firstTs ?? 0;
    const time = (ts: number) => formatTime(ts, o.timeFormat, t0);
    // Through one buffer: a story written in a piece per connection was a write per connection.
    const lines = new GuardedLines(out);
    const write = (text: string): void => lines.push(text);
    const progress = writeProgress(out, 'writing the stories', 'connections');
    let none = true;
    let n = 0;
    for (const st of spill.stories()) {
      // As JSON.stringify({ connections, … }, null, 2) writes each item, in pieces: one connection's
      // story can be more than a string holds (writeJsonAt, writeStory). The JSON text goes through
      // the output's guard as the text does; the text's values are shown() first, as renderStory's were.
      if (json) {
        write(none ? '{\n  "connections": [\n    ' : ',\n    ');
        writeJsonAt({ ...st.conn, cycles: new StreamedList(st.cycleCount, st.cycles), events: new StreamedList(st.eventCount, st.events) }, '    ', write);
      } else {
        const events = function* (): Generator<TimelineEvent> {
          for (const e of st.events()) yield shown(e);
        };
        const cycles = function* (): Generator<RequestCycle> {
          for (const cy of st.cycles()) yield shown(cy);
        };
        writeStory(storyLineGen(shown(st.conn), a.verbose, time, { events: events(), eventCount: st.eventCount, cycles: cycles(), cycleCount: st.cycleCount }), write);
      }
      none = false;
      progress.update(spill.bytesRead, spill.bytes, ++n);
    }
    progress.done();
    const { findings } = diagnosis;
    if (json) {
      const tail = JSON.stringify({ findings, notices: analysis.notices }, null, 2);
      write(`${none ? '{\n  "connections": [],\n  ' : '\n  ],\n  '}${tail.slice(4)}\n`);
    } else write(closingLines(findings, analysis.notices, reportCommand('timeline')));
    lines.flush();
    return diagnoseExitCode(findings, o.failOn);
  } finally {
    spill.close();
  }
}
