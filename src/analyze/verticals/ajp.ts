/**
 * The AJP13 vertical: AjpAnalyzer (detection by port and by content, framer, AjpSession state
 * machine, timelines) as the sink, detect/ turning its violations and connection facts into the
 * evidence the rules read (streaming, fed by the analyzer before any display cap), `capture.ajp` +
 * `capture.connections` as its report section.
 */
import type { CaptureRun } from '../../inspect/index.js';
import { AjpAnalyzer, ajpReportSection, renderAjpText, type AjpResult } from '../../timeline/index.js';
import { AjpDetector, scanSources } from '../../detect/index.js';
import { unreadNotices } from './unread.js';
import { wiresharkFilter, type CaptureEvidence } from '../../util/evidence.js';
import type { AnalysisOptions, Notice, ProtocolVertical } from '../types.js';

export interface AjpSection extends AjpResult {
  /** Rule-level evidence (detect/), also written to `capture.ajp.evidence`. */
  evidence: CaptureEvidence[];
}

/** Server ports of the TCP streams, most streams first: what to suggest when AJP was not where we looked. */
export function topServerPorts(run: CaptureRun, n: number): Array<{ port: number; streams: number }> {
  const count = new Map<number, number>();
  for (const s of run.streams) count.set(s.info.server.port, (count.get(s.info.server.port) ?? 0) + 1);
  return [...count].map(([port, streams]) => ({ port, streams })).sort((a, b) => b.streams - a.streams || a.port - b.port).slice(0, n);
}

/** What the user should know about where AJP was (not) found and the packet size the wire shows. */
/**
 * What `capture.ajp.evidence` lists: at most EVIDENCE_LISTED_PER_KIND items of each kind, in time
 * order, the rest counted in `evidenceDropped`. A flood of one kind (a SYN scan: one item per
 * connection) would otherwise make the report as large as the capture and hide the rarer kinds;
 * the rules have read every item already (the findings' own evidence and counts are unchanged).
 */
export const EVIDENCE_LISTED_PER_KIND = 1000;
function listedEvidence(all: readonly CaptureEvidence[]): { listed: CaptureEvidence[]; dropped: number } {
  const perKind = new Map<string, number>();
  const listed: CaptureEvidence[] = [];
  for (const e of all) {
    const n = perKind.get(e.kind) ?? 0;
    perKind.set(e.kind, n + 1);
    if (n < EVIDENCE_LISTED_PER_KIND) listed.push(e);
  }
  return { listed, dropped: all.length - listed.length };
}

export function ajpNotices(r: AjpResult, run: CaptureRun, o: AnalysisOptions, evidence: readonly CaptureEvidence[] = []): Notice[] {
  const out: Notice[] = [];
  const ports = o.ajpPorts.join(', ');
  if (r.connections === 0) {
    const seen = topServerPorts(run, 5);
    const list = seen.map((p) => `${p.port} (${p.streams} stream${p.streams === 1 ? '' : 's'})`).join(', ');
    out.push({
      kind: 'no-ajp',
      text:
        run.tcpStreams === 0
          ? `No AJP13 found: the capture has no TCP stream.`
          : `No AJP13 found (looked on port ${ports} and by content on every TCP stream). TCP server ports seen: ${list}${seen.length > 0 ? `; if one of them carries AJP that was not recognised (a capture that starts mid-connection), try --ajp-port ${seen[0]!.port}` : ''}.`,
    });
    return out;
  }
  // From every connection's container port, not from the (capped) connection list.
  const onGiven = r.containerPorts.filter((p) => o.ajpPorts.includes(p)).length;
  if (onGiven === 0) {
    const elsewhere = r.containerPorts;
    out.push({
      kind: 'ajp-port-elsewhere',
      text: `No AJP on --ajp-port ${ports}; AJP13 was found by content on port ${elsewhere.join(', ')}: give --ajp-port ${elsewhere[0]} to say so.`,
    });
  }
  if (r.largestPacket > o.packetSize) {
    const suggest = suggestedPacketSize(r.largestPacket);
    const refused = evidence.some((e) => e.kind === 'oversized-request-rejected' || e.kind === 'oversized-reply-rejected');
    out.push({
      kind: 'packet-size-exceeded',
      text: refused
        ? `AJP packets of up to ${r.largestPacket} bytes were seen, more than --packet-size ${o.packetSize}: at least one side uses a bigger packet size, and the other refused such packets (see the root causes).`
        : `AJP packets of up to ${r.largestPacket} bytes were seen, more than --packet-size ${o.packetSize}, and no receiver refused them: both sides evidently use a bigger packet size (Tomcat packetSize, mod_jk max_packet_size / ProxyIOBufferSize). A hint, not a fault: give --packet-size ${suggest} to say so.`,
    });
  }
  return out;
}

/**
 * The packet size to suggest for packets of up to `largest` bytes: mod_jk rounds max_packet_size up to
 * a multiple of 1024 and caps it at 65536 (jk_util.c jk_get_max_packet_size()); Tomcat's packetSize
 * is at most 65536 (the AJP connector's documentation, packetSize).
 */
export function suggestedPacketSize(largest: number): number {
  return Math.min(65536, Math.ceil(largest / 1024) * 1024);
}

export const ajpVertical = {
  name: 'ajp' as const,
  createSink(o: AnalysisOptions) {
    // The detectors consume the analyzer's events as they happen, before any display cap.
    const detector = new AjpDetector();
    // --idle is what the user calls an idle period, in the TCP table and in the AJP stories alike;
    // the detectors keep their own threshold (an option never hides what the wire shows).
    const a = new AjpAnalyzer({ ajpPorts: o.ajpPorts, packetSize: o.packetSize, showSecrets: o.showSecrets, storyIdleThreshold: o.idle, requestLimit: 5000, ...o.ajp, events: detector });
    return {
      sink: a,
      finish(run: CaptureRun) {
        const r = a.result();
        const evidence = detector.evidence(scanSources(run.streams));
        const section: AjpSection = { ...r, evidence };
        return { section, evidence, notices: [...ajpNotices(r, run, o, evidence), ...unreadNotices(detector.unread())] };
      },
    };
  },
  json(s: AjpSection) {
    const { listed, dropped } = listedEvidence(s.evidence);
    return {
      ajp: { ...ajpReportSection(s), evidence: listed.map((e) => ({ ...e, filter: wiresharkFilter(e.frames) })), evidenceDropped: dropped },
      connections: s.connectionList,
    };
  },
  text(s: AjpSection, ctx: { color: boolean; t0?: number }) {
    return s.connections > 0 ? renderAjpText(s, ctx.t0 === undefined ? { color: ctx.color } : { color: ctx.color, t0: ctx.t0 }) : '';
  },
} satisfies ProtocolVertical<AjpSection>;
