import type { CliCommand } from '../command.js';
import type { AjpMessage } from '../../ajp/index.js';
import { renderFrameLine, type AjpResult } from '../../timeline/index.js';
import { wiresharkFilter } from '../../util/evidence.js';
import { formatTime } from '../../util/clock.js';
import { diagnoseExitCode } from '../findings.js';
import { CAPTURE_DESCRIBE, CAPTURE_OPTIONS, CAPTURE_POSITIONAL, CONN_OPTION, connArg, MORE_CAPTURES_DESCRIBE, textOrJson } from '../options.js';
import { UserError } from '../exit-codes.js';
import { MAX_STREAMS_NAMED, noSuchConn } from './timeline.js';
import { GuardedLines } from '../output.js';
import { analysisOptions, analyzeAndDiagnose, captureSources, closingLines, reportCommand } from '../analysis.js';

/** Violations as text lines with a Wireshark filter each. */
export function violationLines(r: AjpResult): string[] {
  const out: string[] = [];
  for (const v of r.violations) {
    out.push(`!! [${v.kind}] stream ${v.stream}, frame(s) ${v.frames.join(' ')}: ${v.detail}`);
    out.push(`     ${wiresharkFilter(v.frames)}`);
  }
  if (r.violationsDropped > 0) out.push(`!! … ${r.violationsDropped} more`);
  return out;
}

/** `ajp-inspect frames capture.pcap [-V]`: every AJP message, one line each, with its frame numbers. */
export const framesCommand: CliCommand = {
  command: `frames ${CAPTURE_POSITIONAL}`,
  describe: 'list every AJP13 message with its frame numbers (-V: every field)',
  options: CAPTURE_OPTIONS,
  formats: { choices: ['text', 'json'], note: 'json: one object per line' },
  reads: 'capture',
  streamsOutput: true,
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: CAPTURE_DESCRIBE })
      .positional('more', { type: 'string', array: true, describe: MORE_CAPTURES_DESCRIBE })
      .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: 'print every decoded field' })
      .option('conn', CONN_OPTION),
  async run(argv, o, out) {
    const sources = captureSources(argv);
    const options = analysisOptions(o);
    const failLevel = o.failOn;
    const fmt = o.timeFormat;
    const verbose = argv.verbose === true;
    const json = textOrJson(o.format, 'frames') === 'json';
    const only = connArg(argv.conn);
    // the AJP streams seen (a few, named when --conn is none of them) and whether --conn's was one
    const streams = new Set<number>();
    let found = false;
    // Times as tshark -t shows them: by default relative to the capture's first packet (frame.time_relative).
    let t0 = 0;
    const time = (ts: number) => formatTime(ts, fmt, t0);
    const lines = new GuardedLines(out);
    const width = Math.max(12, time(0).length);
    if (!json) lines.push(`${'frames'.padEnd(14)} ${'time'.padStart(width)}  stream dir   cycle  message\n`);
    options.ajp = {
      eventLimit: 0,
      onMessage(m: AjpMessage, stream: number, cycle: number | null) {
        if (only !== undefined && stream !== only) {
          if (streams.size < MAX_STREAMS_NAMED) streams.add(stream);
          return;
        }
        found = true;
        if (json) lines.push(JSON.stringify({ stream, cycle, ...m }) + '\n');
        else lines.push(renderFrameLine(m, stream, cycle, t0, verbose, (ts) => time(ts).padStart(width)) + '\n');
      },
    };
    const { analysis, diagnosis } = await analyzeAndDiagnose(sources, o, options, { onFirstPacket: (ts) => (t0 = ts) });
    const r = analysis.sections.ajp;
    if (only !== undefined && !found) throw new UserError(noSuchConn(only, [...streams]));
    if (!json) {
      const shown = only === undefined ? r : { ...r, violations: r.violations.filter((v) => v.stream === only) };
      for (const l of violationLines(shown)) lines.push(l + '\n');
      lines.push(closingLines(diagnosis.findings, analysis.notices, reportCommand('frames')));
    } else {
      // The last line: what the rules concluded from the whole capture (the same for every command).
      lines.push(JSON.stringify({ findings: diagnosis.findings, notices: analysis.notices }) + '\n');
    }
    lines.flush();
    return diagnoseExitCode(diagnosis.findings, failLevel);
  },
};
