import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';
import { runCapture } from '../io.js';
import { CAPTURE_OPTIONS, readCommonOptions } from '../options.js';
import type { AjpMessage } from '../../ajp/index.js';
import { AjpAnalyzer, renderFrameLine, type AjpAnalyzerOptions, type AjpResult } from '../../timeline/index.js';
import { wiresharkFilter } from '../../util/evidence.js';

/** AjpAnalyzer options from parsed argv (read by options.ts, the one parser); throws UsageError on bad values. */
export function ajpAnalyzerOptions(argv: Record<string, unknown>): AjpAnalyzerOptions {
  const o = readCommonOptions(argv, ['ajpPorts', 'packetSize', 'showSecrets']);
  return { ajpPorts: o.ajpPorts, packetSize: o.packetSize, showSecrets: o.showSecrets };
}

/** Runs the capture pipeline with the given AJP analyzer; I/O and format errors become one line. */
export async function runAjp(source: string, analyzer: AjpAnalyzer): Promise<void> {
  await runCapture(source, { sinks: [analyzer] });
}

export function hasErrors(r: AjpResult): boolean {
  return r.connectionList.some((c) => c.errors > 0);
}

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
  command: 'frames <capture>',
  describe: 'list every AJP13 message with its frame numbers (-V: every field)',
  options: CAPTURE_OPTIONS,
  reads: 'capture',
  streamsOutput: true,
  builder: (y) =>
    y
      .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
      .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: 'print every decoded field' })
      .option('conn', { type: 'number', describe: 'only this connection (tcp.stream number)' }),
  async run(argv, o, out) {
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin.
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    const opts = { ajpPorts: o.ajpPorts, packetSize: o.packetSize, showSecrets: o.showSecrets };
    const verbose = argv.verbose === true;
    const json = o.format === 'json';
    const only = argv.conn === undefined ? undefined : Number(argv.conn);
    if (only !== undefined && (!Number.isInteger(only) || only < 0)) throw new UsageError(`--conn must be a tcp.stream number, not ${String(argv.conn)}`);
    let t0: number | undefined;
    let buf: string[] = [];
    const flush = () => {
      if (buf.length > 0) out.write(buf.join(''));
      buf = [];
    };
    if (!json) buf.push(`${'frames'.padEnd(14)} ${'time'.padStart(12)}  stream dir   cycle  message\n`);
    const analyzer = new AjpAnalyzer({
      ...opts,
      eventLimit: 0,
      onMessage(m: AjpMessage, stream: number, cycle: number | null) {
        if (only !== undefined && stream !== only) return;
        t0 ??= m.ts;
        if (json) buf.push(JSON.stringify({ stream, cycle, ...m }) + '\n');
        else buf.push(renderFrameLine(m, stream, cycle, t0, verbose) + '\n');
        if (buf.length >= 2000) flush();
      },
    });
    await runAjp(source, analyzer);
    const r = analyzer.result();
    if (!json) {
      const shown = only === undefined ? r : { ...r, violations: r.violations.filter((v) => v.stream === only) };
      buf.push(...violationLines(shown).map((l) => l + '\n'));
      if (r.connections === 0) buf.push(`no AJP13 connection found (ports ${opts.ajpPorts!.join(', ')}, or by content); try --ajp-port\n`);
    }
    flush();
    return hasErrors(r) ? EXIT_FINDINGS : EXIT_OK;
  },
};
