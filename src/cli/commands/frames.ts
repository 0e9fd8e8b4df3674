import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../exit-codes.js';
import { runCapture } from '../io.js';
import type { AjpMessage } from '../../ajp/index.js';
import { AjpAnalyzer, renderFrameLine, type AjpAnalyzerOptions, type AjpResult } from '../../timeline/index.js';
import { wiresharkFilter } from '../../util/evidence.js';

/** Options shared by every command that decodes AJP (frames, timeline, and the default command). */
export function ajpOptions(y: Argv): Argv {
  return y
    .option('ajp-port', { type: 'number', array: true, default: [8009], describe: 'TCP port carrying AJP (repeatable); other ports are recognised by content' })
    .option('packet-size', { type: 'number', default: 8192, describe: 'negotiated AJP packet size (Tomcat packetSize, mod_jk max_packet_size, ProxyIOBufferSize)' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'show Cookie, Authorization, Set-Cookie values and the AJP secret (redacted by default)' });
}

/** AjpAnalyzer options from parsed argv; throws UserError on bad values. */
export function ajpAnalyzerOptions(argv: Record<string, unknown>): AjpAnalyzerOptions {
  const raw = argv['ajp-port'] ?? argv.ajpPort ?? [8009];
  const ports = (Array.isArray(raw) ? raw : [raw]).flatMap((p) => String(p).split(',')).map((p) => Number(p));
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new UserError(`--ajp-port must be a TCP port (1-65535), not ${String(raw)}`);
  const packetSize = Number(argv['packet-size'] ?? argv.packetSize ?? 8192);
  if (!Number.isInteger(packetSize) || packetSize < 1024 || packetSize > 65536) {
    throw new UserError(`--packet-size must be an integer between 1024 and 65536, not ${String(argv['packet-size'])}`);
  }
  return { ajpPorts: ports, packetSize, showSecrets: argv['show-secrets'] === true || argv.showSecrets === true };
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
  builder: (y) =>
    ajpOptions(
      y
        .positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' })
        .option('verbose', { alias: 'V', type: 'boolean', default: false, describe: 'print every decoded field' })
        .option('conn', { type: 'number', describe: 'only this connection (tcp.stream number)' })
        .option('format', { alias: 'T', choices: ['text', 'json'] as const, default: 'text', describe: 'output format (json: one object per line)' }),
    ),
  async run(argv) {
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin.
    const source = argv.capture === '' || argv.capture === '-' ? '-' : String(argv.capture);
    const opts = ajpAnalyzerOptions(argv);
    const verbose = argv.verbose === true;
    const json = argv.format === 'json';
    const only = argv.conn === undefined ? undefined : Number(argv.conn);
    let t0: number | undefined;
    let buf: string[] = [];
    const flush = () => {
      if (buf.length > 0) process.stdout.write(buf.join(''));
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
