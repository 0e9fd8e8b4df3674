/**
 * The mod_cluster MCMP vertical: McmpAnalyzer (MCMP by method on any port, HTTP framing, pairing)
 * as the sink, the cluster replay (buildAnalysis) giving its evidence, `capture.mcmp` its section.
 */
import type { CaptureRun } from '../../inspect/index.js';
import { ClusterReplay, McmpAnalyzer, mcmpSection, renderMcmpSummary, type McmpAnalysis } from '../../mcmp/index.js';
import type { AnalysisOptions, ProtocolVertical } from '../types.js';
import { unreadNotices } from './unread.js';

export const mcmpVertical = {
  name: 'mcmp' as const,
  createSink(o: AnalysisOptions) {
    // Each exchange replayed as soon as its order is known: none is held till the end.
    const replay = new ClusterReplay();
    const sink = new McmpAnalyzer({ mcmpPorts: o.mcmpPorts, onExchange: (x, probes) => replay.add(x, probes) });
    return {
      sink,
      finish(_run: CaptureRun) {
        const section = replay.finish(sink.finish());
        return { section, evidence: section.evidence, notices: unreadNotices(section.unread) };
      },
    };
  },
  json(a: McmpAnalysis, run: CaptureRun) {
    return { mcmp: mcmpSection(a, run.firstTs ?? a.firstTs ?? 0) };
  },
  text(a: McmpAnalysis, ctx: { color: boolean; t0?: number }) {
    const text = renderMcmpSummary(a, ctx.t0 === undefined ? { color: ctx.color } : { color: ctx.color, t0: ctx.t0 });
    return text === '' ? '' : `\n${text}`;
  },
} satisfies ProtocolVertical<McmpAnalysis>;
